// wasm's BatchMatMul uses XNNPACK (and its thread pool) only when both operands have a batch of 1; any other
// batch goes through a scalar loop, 7–10× slower (0.9–1.4 GMAC/s against 10–19 on a ViT-B/16 attention
// product 12 × 197 × 64 · 12 × 64 × 197). Attention's products and their gradients are all batched, as is a
// linear layer on a [B, T, C] input. So, with both operands untransposed:
//   - b's batch is 1 (a weight shared by the batch): a is one [batch·M, K] matrix, one XNNPACK product;
//   - equal batches: one XNNPACK product per batch element, each on its own copies of the two slices (XNNPACK
//     caches the packed b per tensor, so each slice of b must be a tensor of its own), unless the slices are
//     so small that setting each up costs more than the loop;
//   - anything else (broadcasting both ways): wasm's own kernel.
import type { TensorInfo } from '@tensorflow/tfjs'
import { heapFloat32, release, withShape, type BackendWasm } from './wasmKernelCall'

type MatMul = (a: TensorInfo, b: TensorInfo) => TensorInfo

// Swin's 49 × 32 · 32 × 49 window products: 89 → 24 ms; a 16 × 8 · 8 × 16 one is faster in the loop.
const smallestSlice = 8192

const size = (dims: number[]) => dims.reduce((p, q) => p * q, 1)

/** a [..., M, K] · b [..., K, N] with neither transposed; `plain` is wasm's own kernel. */
export function batchedMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, plain: MatMul): TensorInfo {
  const outerA = a.shape.slice(0, -2)
  const outerB = b.shape.slice(0, -2)
  const batchA = size(outerA)
  const batchB = size(outerB)
  const [m, k] = a.shape.slice(-2)
  const n = b.shape[b.shape.length - 1]
  if (batchA === 1 && batchB === 1) return plain(a, b)
  if (batchB === 1 && outerB.length <= outerA.length) {
    const out = plain(withShape(a, [1, batchA * m, k]), withShape(b, [1, k, n]))
    return withShape(out, [...outerA, m, n])
  }
  const sameBatch =
    batchA === batchB && outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i])
  // Each slice costs ~6 µs of copies and XNNPACK set-up; the scalar loop does ~1 multiply-add per ns.
  if (!sameBatch || m * k * n < smallestSlice) return plain(a, b)
  const out = backend.makeOutput([...outerA, m, n], 'float32')
  for (let i = 0; i < batchA; i++) {
    const aSlice = backend.makeOutput([1, m, k], 'float32')
    const bSlice = backend.makeOutput([1, k, n], 'float32')
    heapFloat32(backend, aSlice).set(heapFloat32(backend, a).subarray(i * m * k, (i + 1) * m * k))
    heapFloat32(backend, bSlice).set(heapFloat32(backend, b).subarray(i * k * n, (i + 1) * k * n))
    const product = plain(aSlice, bSlice)
    heapFloat32(backend, out).set(heapFloat32(backend, product), i * m * n)
    release(backend, aSlice, bSlice, product)
  }
  return out
}
