// Matrix products on the wasm heap with our own kernels (gemmWasm.ts), 1.5–1.8× XNNPACK's wasm GEMM on one
// thread, and on every thread the backend has (heapThreads.ts). B is first packed into panels of 8 columns
// (zero-padded), then each thread takes whole groups of 4 rows of C, so every element of C is computed by
// the same instructions in the same order at any thread count: results are bit for bit those of one thread.
import type { TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type HeapModule, type HeapThreads, type SplitKernel } from '../heapThreads'
import { webAssembly } from '../webAssemblyApi'
import { gemmModuleBytes } from './gemmWasm'
import { heapModule } from './heapModule'
import { heapFloat32, release, type BackendWasm } from './wasmKernelCall'

let relaxedSimd: boolean | null = null

/**
 * Whether this engine runs relaxed SIMD's fused multiply-add. Chromium (the desktop app, the GPU test page)
 * and Node ≥ 22 do; Node 20's V8 has it behind --experimental-wasm-relaxed-simd, a finished standard
 * (phase 4), which we turn on once before compiling.
 */
export function fusedMultiplyAdd(): boolean {
  if (relaxedSimd != null) return relaxedSimd
  const bytes = gemmModuleBytes({ shared: false, fused: true })
  if (!webAssembly.validate(bytes)) {
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    const v8 = node?.getBuiltinModule?.('node:v8') as { setFlagsFromString(f: string): void } | undefined
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd')
  }
  relaxedSimd = webAssembly.validate(bytes)
  return relaxedSimd
}

const gemmBytes = (shared: boolean) => gemmModuleBytes({ shared, fused: fusedMultiplyAdd() })

/** The product's module on this backend's heap (compiled once per heap), or null when the heap is not reachable. */
export function gemmModule(backend: BackendWasm): HeapModule | null {
  return heapModule(backend, gemmBytes)
}

/**
 * Packs panels [from, to) of every batch element's B (K × N, or N × K when transposed) into K × 8 blocks,
 * columns past N as zeros. Index = batch element · panels + panel.
 */
export const packPanels: SplitKernel = (arrays, params, from, to, wasm) => {
  const [b, packed] = arrays
  const [k, n, transposed] = params
  const panels = Math.ceil(n / 8)
  const fullPanels = Math.floor(n / 8)
  let i = from
  while (i < to) {
    const s = Math.floor(i / panels)
    const p = i - s * panels
    const j0 = p * 8
    const base = s * k * n
    const into = packed.byteOffset + i * k * 32
    // Four whole panels of an untransposed B in one pass over its rows.
    const four = !transposed && p + 4 <= fullPanels && i + 4 <= to
    if (four) wasm!.pack32(b.byteOffset + (base + j0) * 4, into, k, n, k * 32)
    else if (p < fullPanels && transposed) wasm!.pack8T(b.byteOffset + (base + j0 * k) * 4, into, k, k)
    else if (p < fullPanels) wasm!.pack8(b.byteOffset + (base + j0) * 4, into, k, n)
    else {
      const width = n - j0
      let o = i * k * 8
      for (let q = 0; q < k; q++) {
        for (let t = 0; t < width; t++) {
          packed[o + t] = transposed ? b[base + (j0 + t) * k + q] : b[base + q * n + j0 + t]
        }
        for (let t = width; t < 8; t++) packed[o + t] = 0
        o += 8
      }
    }
    i += four ? 4 : 1
  }
}

/**
 * Rows of C in groups of 4 (index = batch element · groups + group), all panels each. A panel cut by N's
 * end is computed into the group's 32 floats of `scratch` and copied. Blocked as a GEMM is for caches: up to
 * 32 groups (128 rows) of A at a time, K in blocks of 256, so a block of A (128 KB) stays in L2 and a
 * panel's block (8 KB) in L1 while it serves every group, and B is read once per 128 rows. (On this
 * machine's large L2 it made no measurable difference; it keeps a long K, 3072 in a ViT's MLP, from
 * streaming 96 KB panels through L1 on smaller caches.) Each element of C sums its K blocks in order, the
 * same at any thread count.
 */
export const productRows: SplitKernel = (arrays, params, from, to, wasm) => {
  const [a, packed, c, scratch] = arrays
  const [m, k, n] = params
  const kernel4 = wasm!.kernel4x8
  const kernel1 = wasm!.kernel1x8
  const groups = Math.ceil(m / 4)
  const panels = Math.ceil(n / 8)
  const fullPanels = Math.floor(n / 8)
  const kBlock = 256
  let i = from
  while (i < to) {
    const s = Math.floor(i / groups)
    const first = i - s * groups
    const last = Math.min(groups, first + 32, to - s * groups)
    const aBase = a.byteOffset + s * m * k * 4
    const cBase = c.byteOffset + s * m * n * 4
    for (let k0 = 0; k0 < k; k0 += kBlock) {
      const kLength = Math.min(kBlock, k - k0)
      const more = k0 > 0 ? 1 : 0
      const done = k0 + kLength === k
      for (let p = 0; p < panels; p++) {
        const bp = packed.byteOffset + ((s * panels + p) * k + k0) * 32
        const whole = p < fullPanels
        const ldc = whole ? n : 8
        for (let g = first; g < last; g++) {
          const r0 = g * 4
          const rows = Math.min(4, m - r0)
          const aRow = aBase + (r0 * k + k0) * 4
          const out = whole ? cBase + (r0 * n + p * 8) * 4 : scratch.byteOffset + (s * groups + g) * 128
          if (rows === 4) kernel4(aRow, bp, out, kLength, k, ldc, more)
          else
            for (let r = 0; r < rows; r++)
              kernel1(aRow + r * k * 4, bp, out + r * ldc * 4, kLength, k, ldc, more)
          if (!whole && done) {
            const from32 = (s * groups + g) * 32
            const into = s * m * n + r0 * n + p * 8
            for (let r = 0; r < rows; r++)
              for (let t = 0; t < n - p * 8; t++) c[into + r * n + t] = scratch[from32 + r * 8 + t]
          }
        }
      }
    }
    i = s * groups + last
  }
}

// Packing is a copy: below 4 M floats waking a helper costs more than it saves (Swin-UNet paper step on 2
// threads, 5 Dec, four pairs run alternately: 20.0–21.0 s against 20.6–22.4 s splitting from 64 K floats).
const smallestThreadedCopy = 1 << 22

// Below 8 M multiply-adds two threads were slower than one: a Swin-UNet paper step's window-attention
// products (5 Dec, summed over two steps, 1 → 2 threads) 48 × 49 × 49 × 32 (3.7 M) 99 → 195 ms, 96 × … (7.4 M)
// 201 → 243 ms, while 192 × … (14.7 M) went 404 → 351 ms and a 3136 × 96 × 384 (116 M) 715 → 500 ms. A
// helper's wake-up costs ~50 µs here, and its half of C, read next by the calling thread, crosses cores.
const smallestThreadedProduct = 1 << 23

/** Where a copy of `floats` runs (packing, padding): on the helpers too only from 4 M floats on. */
export function copyThreads(backend: BackendWasm, floats: number): HeapThreads | null {
  return floats >= smallestThreadedCopy ? heapThreadsOf(backend, floats) : null
}

/**
 * Where a product of `multiplyAdds` runs: on the helpers too only when it is worth more than a wake-up and
 * the cache lines it moves between cores.
 */
export function productThreads(backend: BackendWasm, multiplyAdds: number): HeapThreads | null {
  return multiplyAdds >= smallestThreadedProduct ? heapThreadsOf(backend, multiplyAdds / 16) : null
}

/**
 * Packs `batch` operands B [K, N] (or [N, K] `transposed`) from `source` into `packed` (batch · ⌈N/8⌉ panels
 * of K × 8 floats), on the helpers too when the copy is large: what every product on our kernels multiplies.
 */
export function packOperand(
  backend: BackendWasm,
  wasm: HeapModule,
  source: Float32Array,
  packed: Float32Array,
  dims: { batch?: number; k: number; n: number; transposed?: boolean },
): void {
  const { batch = 1, k, n, transposed = false } = dims
  runSplit(
    copyThreads(backend, batch * k * n),
    packPanels,
    [source, packed],
    [k, n, transposed ? 1 : 0],
    batch * Math.ceil(n / 8),
    wasm,
  )
}

/**
 * C[s] = A[s] · B[s] for `batch` elements, A [batch, M, K] and B [batch, K, N] (or [batch, N, K] with
 * `transposeB`) on the heap, into a new [batch, M, N] tensor. Null when our module cannot reach the heap
 * or K is 0 (the caller then uses wasm's own kernels).
 */
export function heapGemm(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  dims: { batch: number; m: number; k: number; n: number; transposeB: boolean },
  outShape: number[],
): TensorInfo | null {
  const { batch, m, k, n, transposeB } = dims
  // The kernels run K from 1 down; an empty K is the caller's (all zeros).
  const wasm = k > 0 ? gemmModule(backend) : null
  if (wasm == null) return null
  const panels = Math.ceil(n / 8)
  const groups = Math.ceil(m / 4)
  const out = backend.makeOutput(outShape, 'float32')
  const work = backend.makeOutput([batch * panels * k * 8 + batch * groups * 32], 'float32')
  // Views after the last allocation: one may grow the heap.
  const heap = heapFloat32(backend, work)
  const packed = heap.subarray(0, batch * panels * k * 8)
  const scratch = heap.subarray(batch * panels * k * 8)
  const aHeap = heapFloat32(backend, a)
  const bHeap = heapFloat32(backend, b)
  const cHeap = heapFloat32(backend, out)
  packOperand(backend, wasm, bHeap, packed, { batch, k, n, transposed: transposeB })
  runSplit(
    productThreads(backend, batch * m * k * n),
    productRows,
    [aHeap, packed, cHeap, scratch],
    [m, k, n],
    batch * groups,
    wasm,
  )
  release(backend, work)
  return out
}
