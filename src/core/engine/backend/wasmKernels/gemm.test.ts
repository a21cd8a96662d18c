// Our matrix product (gemmWasm.ts, gemm.ts): the emitted kernels against a float64 product on odd sizes
// (rows that do not fill a group of 4, columns that do not fill a panel of 8), the product on the wasm
// backend against the cpu backend's matMul, and the same bits at 1, 2 and 3 threads.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSplit, stopHeapThreads, type HeapExports, type HeapModule } from '../heapThreads'
import { useWasmBackend } from '../wasmBackend'
import { fusedMultiplyAdd, heapGemm, packPanels, productRows } from './gemm'
import { gemmModuleBytes } from './gemmWasm'
import { randomValues } from '../fixtures/sameAsCpu'
import { sharedHeap } from '../fixtures/sharedHeap'
import { webAssembly } from '../webAssemblyApi'
import type { BackendWasm } from './wasmKernelCall'

/** A [batch, m, k] · B [batch, k, n] (or [batch, n, k] transposed) in float64. */
function reference(
  a: Float32Array,
  b: Float32Array,
  d: { batch: number; m: number; k: number; n: number; transposeB: boolean },
): Float64Array {
  const { batch, m, k, n, transposeB } = d
  const out = new Float64Array(batch * m * n)
  for (let s = 0; s < batch; s++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0
        for (let q = 0; q < k; q++) {
          const bv = transposeB ? b[s * n * k + j * k + q] : b[s * k * n + q * n + j]
          sum += a[s * m * k + i * k + q] * bv
        }
        out[s * m * n + i * n + j] = sum
      }
  return out
}

function expectClose(got: Float32Array, want: Float64Array, k: number): void {
  expect(got.length).toBe(want.length)
  // float32 sums of k products of numbers below 1: a few ulps per term.
  const tolerance = 4e-7 * k + 1e-6
  let worst = 0
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]))
  expect(worst).toBeLessThan(tolerance)
}

describe('the emitted kernels', () => {
  const variants = [false, true].filter((fused) => !fused || fusedMultiplyAdd())

  it('relaxed SIMD is on here (Node 20 behind its flag, turned on by gemm.ts)', () => {
    expect(fusedMultiplyAdd()).toBe(true)
  })

  it.each(variants)('fused multiply-add %s: 4 × 8 and 1 × 8 blocks over strided rows', (fused) => {
    const memory = new webAssembly.Memory({ initial: 1 })
    const wasm = new webAssembly.Instance(new webAssembly.Module(gemmModuleBytes({ shared: false, fused })), {
      env: { memory },
    }).exports as HeapExports
    const heap = new Float32Array(memory.buffer)
    for (const k of [1, 2, 13]) {
      const lda = k + 3
      const ldc = 11
      const a = randomValues([4 * lda], k)
      const bp = randomValues([8 * k], 100 + k)
      heap.fill(0)
      heap.set(a, 0)
      heap.set(bp, 1024)
      heap.fill(7, 2048, 2048 + 4 * ldc)
      wasm.kernel4x8(0, 1024 * 4, 2048 * 4, k, lda, ldc, 0)
      wasm.kernel1x8(3 * lda * 4, 1024 * 4, 3072 * 4, k, lda, ldc, 0)
      for (let r = 0; r < 4; r++)
        for (let t = 0; t < ldc; t++) {
          let want = 7
          if (t < 8) {
            want = 0
            for (let q = 0; q < k; q++) want += a[r * lda + q] * bp[q * 8 + t]
          }
          // Only the 8 columns of the block are written: the rest of each row of C stays as it was.
          expect(heap[2048 + r * ldc + t]).toBeCloseTo(want, 5)
        }
      for (let t = 0; t < 8; t++) expect(heap[3072 + t]).toBe(heap[2048 + 3 * ldc + t])
      // A later block of K adds to what C holds.
      const before = heap.slice(2048, 2048 + 4 * ldc)
      wasm.kernel4x8(0, 1024 * 4, 2048 * 4, k, lda, ldc, 1)
      for (let r = 0; r < 4; r++)
        for (let t = 0; t < 8; t++) expect(heap[2048 + r * ldc + t]).toBeCloseTo(2 * before[r * ldc + t], 5)
    }
  })
})

describe('matrix products on the wasm heap', () => {
  let backend: BackendWasm
  beforeAll(async () => {
    await useWasmBackend()
    backend = tf.backend() as unknown as BackendWasm
  })

  it.each([
    { batch: 1, m: 70, k: 45, n: 37, transposeB: false },
    { batch: 1, m: 3, k: 300, n: 40, transposeB: false },
    { batch: 1, m: 37, k: 64, n: 3, transposeB: true },
    { batch: 5, m: 13, k: 9, n: 16, transposeB: false },
    { batch: 4, m: 33, k: 17, n: 29, transposeB: true },
    // Four panels packed in one pass per batch element, then one alone; a transposed B with K a multiple of
    // 4 (its shuffled quads only) and one with K < 4 (no quad at all).
    { batch: 3, m: 6, k: 5, n: 41, transposeB: false },
    { batch: 1, m: 5, k: 12, n: 40, transposeB: true },
    { batch: 2, m: 9, k: 3, n: 19, transposeB: true },
  ])('batch $batch, $m × $k · $k × $n (B transposed: $transposeB) against float64', (d) => {
    const a = randomValues([d.batch, d.m, d.k], 1)
    const b = randomValues([d.batch, d.k, d.n], 2)
    const at = tf.tensor3d(a, [d.batch, d.m, d.k])
    const bt = tf.tensor3d(b, d.transposeB ? [d.batch, d.n, d.k] : [d.batch, d.k, d.n])
    const before = tf.memory().numTensors
    const info = heapGemm(backend, at, bt, d, [d.batch, d.m, d.n])!
    const out = tf.engine().makeTensorFromTensorInfo(info)
    expectClose(out.dataSync() as Float32Array, reference(a, b, d), d.k)
    out.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([at, bt])
  })

  it('leaves an empty K to wasm (its kernels count K down from 1)', () => {
    const at = tf.zeros([1, 8, 0])
    const bt = tf.zeros([1, 0, 8])
    expect(heapGemm(backend, at, bt, { batch: 1, m: 8, k: 0, n: 8, transposeB: false }, [1, 8, 8])).toBeNull()
    tf.dispose([at, bt])
  })

  it('matMul through the registered kernel equals the cpu backend on the shapes a ViT asks for', async () => {
    const shapes: [number[], number[], boolean, boolean][] = [
      [[2, 197, 64], [64, 96], false, false],
      [[6, 197, 32], [6, 197, 32], false, true],
      [[6, 197, 197], [6, 197, 32], false, false],
      [[6, 197, 32], [6, 197, 197], true, false],
    ]
    for (const [sa, sb, ta, tb] of shapes) {
      const a = randomValues(sa, 3)
      const b = randomValues(sb, 4)
      const product = async (name: string) => {
        await tf.setBackend(name)
        const r = tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb)
        const v = await r.data()
        return { shape: r.shape, v }
      }
      const cpu = await product('cpu')
      const wasm = await product('wasm')
      expect(wasm.shape).toEqual(cpu.shape)
      let worst = 0
      for (let i = 0; i < cpu.v.length; i++) worst = Math.max(worst, Math.abs(cpu.v[i] - wasm.v[i]))
      expect(worst).toBeLessThan(1e-4)
    }
  })
})

describe('the product split across helper threads', () => {
  afterAll(stopHeapThreads)

  /** C = A · B for batch 3 of 45 × 70 · 70 × 29 on a fresh shared heap, at `threads` threads. */
  function product(threads: number): Float32Array {
    const [batch, m, k, n] = [3, 45, 70, 29]
    const panels = Math.ceil(n / 8)
    const groups = Math.ceil(m / 4)
    const sizes = [batch * m * k, batch * k * n, batch * panels * k * 8, batch * m * n, batch * groups * 32]
    const heap = sharedHeap(sizes.reduce((p, q) => p + q) * 4)
    const { memory } = heap
    const [a, b, packed, c, scratch] = sizes.map((length) => heap.take(length))
    a.set(randomValues([a.length], 5))
    b.set(randomValues([b.length], 6))
    const module = new webAssembly.Module(gemmModuleBytes({ shared: true, fused: fusedMultiplyAdd() }))
    const wasm: HeapModule = {
      module,
      exports: new webAssembly.Instance(module, { env: { memory } }).exports as HeapExports,
    }
    const on = { memory, threads }
    runSplit(on, packPanels, [b, packed], [k, n, 0], batch * panels, wasm)
    runSplit(on, productRows, [a, packed, c, scratch], [m, k, n], batch * groups, wasm)
    expectClose(c, reference(a, b, { batch, m, k, n, transposeB: false }), k)
    return Float32Array.from(c)
  }

  it('gives the one-thread result bit for bit at 2 and 3 threads', () => {
    const one = product(1)
    expect(product(2)).toEqual(one)
    expect(product(3)).toEqual(one)
  })
})
