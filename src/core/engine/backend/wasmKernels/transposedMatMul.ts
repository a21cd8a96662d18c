// wasm's BatchMatMul/_FusedMatMul run 10-20x slower with transposeA/transposeB (a strided loop instead of
// XNNPACK), and every matmul gradient asks for a transpose. We transpose a explicitly first; BatchMatMul's
// products, batched or not, go to our own kernels (batchedMatMul.ts, gemm.ts), which pack a transposed b
// as it is; _FusedMatMul transposes b first too.
import { type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import { batchedMatMul } from './batchedMatMul'
import { wrapWasmKernel, release, transposeLastTwo, type BackendWasm } from './wasmKernelCall'

function withExplicitTranspose(kernelName: 'BatchMatMul' | '_FusedMatMul'): KernelConfig {
  return wrapWasmKernel(
    kernelName,
    (original) =>
      (args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: NamedAttrMap }) => {
        const { inputs, backend, attrs } = args
        const transposeA = Boolean(attrs.transposeA)
        const transposeB = Boolean(attrs.transposeB)
        const plain = (x: TensorInfo, y: TensorInfo) =>
          original.kernelFunc({
            inputs: { ...inputs, a: x, b: y },
            backend,
            attrs: { ...attrs, transposeA: false, transposeB: false },
          } as never) as TensorInfo
        if (kernelName === '_FusedMatMul' && !transposeA && !transposeB)
          return original.kernelFunc(args as never)
        const a = transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a
        // BatchMatMul: our own kernels, which read a transposed b as it is (batchedMatMul.ts); _FusedMatMul
        // keeps wasm's own (XNNPACK) on an explicitly transposed b.
        if (kernelName === 'BatchMatMul') {
          const out = batchedMatMul(backend, a, inputs.b, transposeB, plain)
          if (transposeA) release(backend, a)
          return out
        }
        const b = transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b
        const out = plain(a, b)
        if (transposeA) release(backend, a)
        if (transposeB) release(backend, b)
        return out
      },
  )
}

export function transposedMatMulConfigs(): KernelConfig[] {
  return [withExplicitTranspose('BatchMatMul'), withExplicitTranspose('_FusedMatMul')]
}
