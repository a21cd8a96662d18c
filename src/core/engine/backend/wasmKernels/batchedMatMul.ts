// wasm's BatchMatMul uses XNNPACK (and its thread pool) only when both operands have a batch of 1; any other
// batch goes through a scalar loop, 7–10× slower (0.9–1.4 GMAC/s against 10–19 on a ViT-B/16 attention
// product 12 × 197 × 64 · 12 × 64 × 197). Attention's products and their gradients are all batched, as is a
// linear layer on a [B, T, C] input. Our own kernels (gemm.ts) beat XNNPACK's on any batch (21–25 GMAC/s
// against 14 on one thread), and read a transposed b directly (no Transpose first). So:
//   - b's batch is 1 (a weight shared by the batch): a is one [batch·M, K] matrix, one product;
//   - equal batches: one product per batch element, in place on the heap;
//   - anything else (broadcasting both ways), or a product too small to be worth it: wasm's own kernel.
// Without a reachable heap (never so far), the shared-b and equal-batch products go to XNNPACK (xnnpackMatMul).
import { util, type TensorInfo } from '@tensorflow/tfjs'
import { heapGemm } from './gemm'
import { heapFloat32, release, transposeLastTwo, withShape, type BackendWasm } from './wasmKernelCall'

type MatMul = (a: TensorInfo, b: TensorInfo) => TensorInfo

// Swin's 49 × 32 · 32 × 49 window products: 89 → 24 ms; a 16 × 8 · 8 × 16 one is faster in the loop.
const smallestSlice = 8192

/** What both routes need to know of a product's operands (b's transpose changes neither batch nor N). */
interface ProductShape {
  outerA: number[]
  batchA: number
  m: number
  k: number
  n: number
  /** Both batches 1: the output has the longer of the two outer shapes (tfjs broadcasts them). */
  outer: number[]
  /** b's batch is 1 and a's outer shape covers it: one [batchA·M, K] product. */
  sharedB: boolean
  /** The same outer shape on both: one product per batch element. */
  sameBatch: boolean
}

function productShape(a: TensorInfo, b: TensorInfo, transposeB: boolean): ProductShape {
  const outerA = a.shape.slice(0, -2)
  const outerB = b.shape.slice(0, -2)
  const batchA = util.sizeFromShape(outerA)
  const [m, k] = a.shape.slice(-2)
  return {
    outerA,
    batchA,
    m,
    k,
    n: b.shape[b.shape.length - (transposeB ? 2 : 1)],
    outer: outerB.length > outerA.length ? outerB : outerA,
    sharedB: util.sizeFromShape(outerB) === 1 && outerB.length <= outerA.length,
    sameBatch: outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]),
  }
}

/**
 * a [..., M, K] · b [..., K, N] (b [..., N, K] with `transposeB`); a is never transposed here. `plain` is
 * wasm's own kernel on untransposed operands.
 */
export function batchedMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeB: boolean,
  plain: MatMul,
): TensorInfo {
  const shape = productShape(a, b, transposeB)
  const { batchA, m, k, n, sharedB, sameBatch } = shape
  // One product of all of a's rows (batches of 1, or a shared b), or one per batch element.
  const [batch, rows] = sharedB ? [1, batchA * m] : sameBatch ? [batchA, m] : [0, 0]
  if (batch > 0 && batch * rows * k * n >= smallestSlice) {
    const out = heapGemm(backend, a, b, { batch, m: rows, k, n, transposeB }, [...shape.outer, m, n])
    if (out != null) return out
  }
  const bPlain = transposeB ? transposeLastTwo(backend, b) : b
  const out = xnnpackMatMul(backend, a, bPlain, shape, plain)
  if (transposeB) release(backend, bPlain)
  return out
}

/** The products on XNNPACK where it can take them (batch 1, or one slice at a time), else wasm's loop. */
function xnnpackMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  { outerA, batchA, m, k, n, sharedB, sameBatch }: ProductShape,
  plain: MatMul,
): TensorInfo {
  if (sharedB) {
    if (batchA === 1) return plain(a, b)
    const out = plain(withShape(a, [1, batchA * m, k]), withShape(b, [1, k, n]))
    return withShape(out, [...outerA, m, n])
  }
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
