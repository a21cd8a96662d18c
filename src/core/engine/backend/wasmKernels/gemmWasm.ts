// The matrix product's inner kernels as a small WebAssembly module of our own, emitted here byte by byte.
// XNNPACK's wasm GEMM ran at 14 GMAC/s on one thread of this machine's AVX2 CPU; a 4 × 8 register block
// (eight f32x4 accumulators: four rows of A, each splatted, times two vectors of a packed B panel) runs at
// 20 GMAC/s with a multiply and an add, and 25 with relaxed SIMD's fused multiply-add
// (f32x4.relaxed_madd, on by default in Chromium ≥ 114 and Node ≥ 22; Node 20 has it behind a V8 flag).
// Six or eight rows were slower (12–13 GMAC/s): V8 has 16 SIMD registers and spills the rest. Unrolling
// k by 2 or 4 (offsets in the instructions, pointers moved once per step) was slower too (11–15 GMAC/s).
//
// Each kernel computes C[r][0..8) = Σ_k A[r][k] · Bp[k][0..8) for its rows over K columns of A, and stores it,
// or with `more` ≠ 0 adds it to what C holds (a later block of a longer K): `a` points at A's first row (rows
// `lda` floats apart), `bp` at one packed panel (K × 8 floats, row k at bp + 32·k bytes), `c` at C's first
// row (rows `ldc` floats apart).
// Exports: kernel4x8(a, bp, c, K, lda, ldc, more) and kernel1x8(…, more); pack8(b, bp, K, ldb) copies
// 8 columns of K rows of B (rows `ldb` floats apart) into a panel, two vectors a row (the same copy in JS
// took 8 of the 28 ms of a 197 × 3072 · 3072 × 768 product; with this one the product takes 21);
// pack32(b, bp, K, ldb, panelBytes) fills 4 neighbouring panels (`panelBytes` apart) in one pass, reading
// whole cache lines of each row of B instead of a quarter of one per panel; pack8T(b, bp, K, ldb) makes a
// panel from 8 rows of a transposed B (B stored N × K), 4 × 4 blocks at a time through SIMD shuffles.
// K must be ≥ 1. Packing a ViT-B/16 MLP weight (768 × 3072, either way round) took 1.1 ms a float or a
// panel at a time and takes 0.9 ms so, warm in cache; inside a training step, where the weight comes cold
// from memory, 4.0 → 2.9 ms (pack32) and 4.2 → 3.8 ms (pack8T) (one run each; whole runs vary ±10 %).

import {
  add,
  advance,
  constant,
  countDown,
  f32x4Add,
  f32x4Mul,
  f32x4RelaxedMadd,
  floatShuffle,
  floatsOn,
  functionBody,
  get,
  i32,
  i32And,
  load,
  loadSplat,
  moduleBytes,
  set,
  shrU,
  store,
  tee,
  unsignedLeb,
  v128,
} from './wasmEmitter'

/**
 * The locals a 4 × 8 block works with: rows' A pointers, the panel pointer, B's two vectors of the row k,
 * A's splat, and two accumulators per row.
 */
interface BlockLocals {
  p: (r: number) => number
  bp: number
  b0: number
  b1: number
  x: number
  acc: (r: number, h: number) => number
}

/** B's vectors, A's splat and the accumulators as locals from `first` on, after the pointers. */
function blockLocals(p: (r: number) => number, bp: number, first: number): BlockLocals {
  return { p, bp, b0: first, b1: first + 1, x: first + 2, acc: (r, h) => first + 3 + 2 * r + h }
}

/** One step of K: B's row k (two vectors) times each row's A[r][k], added to the row's accumulators. */
function multiplyAddStep(rows: number, fused: boolean, l: BlockLocals): number[] {
  const { p, bp, b0, b1, x, acc } = l
  const step: number[] = []
  step.push(...get(bp), ...load(0), ...set(b0))
  step.push(...get(bp), ...load(16), ...set(b1))
  for (let r = 0; r < rows; r++) {
    step.push(...get(p(r)), ...loadSplat(0), ...set(x))
    for (const [h, b] of [
      [0, b0],
      [1, b1],
    ]) {
      if (fused) step.push(...get(x), ...get(b), ...get(acc(r, h)), ...f32x4RelaxedMadd, ...set(acc(r, h)))
      else step.push(...get(acc(r, h)), ...get(x), ...get(b), ...f32x4Mul, ...f32x4Add, ...set(acc(r, h)))
    }
    step.push(...advance(p(r), 4))
  }
  step.push(...advance(bp, 32))
  return step
}

/**
 * The block's end: if `more` ≠ 0, C already holds earlier blocks' sums, added in (`walker`, a pointer local
 * free by then, walks C's rows); then the rows stored at C, `ldc` floats apart.
 */
function addAndStore(
  rows: number,
  l: BlockLocals,
  c: number,
  ldc: number,
  more: number,
  walker: number,
): number[] {
  const { acc } = l
  const code: number[] = [...get(more), 0x04, 0x40] // if
  code.push(...get(c), ...set(walker))
  for (let r = 0; r < rows; r++) {
    for (const h of [0, 1])
      code.push(...get(acc(r, h)), ...get(walker), ...load(16 * h), ...f32x4Add, ...set(acc(r, h)))
    if (r < rows - 1) code.push(...floatsOn(walker, ldc), ...set(walker))
  }
  code.push(0x0b) // end if
  return [...code, ...storeRows(rows, l, c, ldc)]
}

/** The block's rows stored at C, `ldc` floats apart (moves the local `c`). */
function storeRows(rows: number, l: BlockLocals, c: number, ldc: number): number[] {
  const code: number[] = []
  for (let r = 0; r < rows; r++) {
    code.push(...get(c), ...get(l.acc(r, 0)), ...store(0))
    code.push(...get(c), ...get(l.acc(r, 1)), ...store(16))
    if (r < rows - 1) code.push(...floatsOn(c, ldc), ...set(c))
  }
  return code
}

/** One kernel's body for `rows` rows of A (1–4). */
function kernelBody(rows: number, fused: boolean): number[] {
  // Parameters 0–6: a, bp, c, K (counted down), lda, ldc, more. Locals after them: rows' pointers (i32), b0,
  // b1, x, then two accumulators per row (v128).
  const [a, bp, c, K, lda, ldc, more] = [0, 1, 2, 3, 4, 5, 6]
  const p = (r: number) => 7 + r
  const locals = blockLocals(p, bp, 7 + rows)
  const code: number[] = []
  code.push(...get(a), ...set(p(0)))
  for (let r = 1; r < rows; r++) code.push(...floatsOn(p(r - 1), lda), ...set(p(r)))
  code.push(...countDown(K, multiplyAddStep(rows, fused, locals)))
  // more ≠ 0: a later block of K (p(0), done with A, walks C's rows).
  code.push(...addAndStore(rows, locals, c, ldc, more, p(0)))
  return functionBody(
    [
      [...unsignedLeb(rows), i32],
      [...unsignedLeb(3 + 2 * rows), v128],
    ],
    code,
  )
}

// The indirect kernels' locals: two counters (i32), then b0, b1, x and eight accumulators (v128).
const indirectLocals = [
  [2, i32],
  [11, v128],
]

/**
 * conv4x8(a0, a1, a2, a3, bp, c, K, ldc, taps, tapBytes): a convolution's 4 × 8 block of an indirect GEMM,
 * the forward convolution's. Row r of A (an output pixel) is read in `taps` runs of K contiguous floats from
 * a_r (a filter row's taps over the padded NHWC image, KW·Cin floats), each next run `tapBytes` past the
 * previous run's end (one image row down). bp is one packed panel of all taps·K rows, read in order. The
 * block's sum stays in registers throughout; C[r][0..8) (rows `ldc` floats apart) is then stored.
 *
 * filterGradient4x8(…, taps, tapBytes, images, imageBytes, more): the same over `images` sets of `taps` runs,
 * each next set `imageBytes` past the previous set's end, and with `more` ≠ 0 added to what C holds: the
 * filter gradient's, where a row is one input channel at one tap over the padded channel-major input, a run
 * one output row (OW floats), a set one image, and a call one block of them (a later one adds). Its own
 * function: the forward's loop without the image level and C's load ran 7–12 % faster.
 * K, taps and images must be ≥ 1.
 */
function indirectKernelBody(fused: boolean, batched: boolean): number[] {
  const p = (r: number) => r
  const [bp, c, K, ldc, taps, tapBytes, images, imageBytes, more] = [4, 5, 6, 7, 8, 9, 10, 11, 12]
  const params = batched ? 13 : 10
  const k = params
  const t = params + 1
  const locals = blockLocals(p, bp, params + 2)
  const run: number[] = [...get(K), ...set(k), ...countDown(k, multiplyAddStep(4, fused, locals))]
  for (let r = 0; r < 4; r++) run.push(...get(p(r)), ...get(tapBytes), ...add, ...set(p(r)))
  const image: number[] = [...get(taps), ...set(t), ...countDown(t, run)]
  if (!batched) return functionBody(indirectLocals, [...image, ...storeRows(4, locals, c, ldc)])
  for (let r = 0; r < 4; r++) image.push(...get(p(r)), ...get(imageBytes), ...add, ...set(p(r)))
  // more ≠ 0: a later block of pixels (p(0), done with A, walks C's rows).
  return functionBody(indirectLocals, [
    ...countDown(images, image),
    ...addAndStore(4, locals, c, ldc, more, p(0)),
  ])
}

/** pack8(b, bp, K, ldb): bp[k][0..8) = b[k·ldb + 0..8) for k < K (two vectors a row). */
function packBody(): number[] {
  const [b, bp, K, ldb] = [0, 1, 2, 3]
  const step = [
    ...[...get(bp), ...get(b), ...load(0), ...store(0)],
    ...[...get(bp), ...get(b), ...load(16), ...store(16)],
    ...floatsOn(b, ldb),
    ...set(b),
    ...advance(bp, 32),
  ]
  return functionBody([], countDown(K, step))
}

/**
 * pack32(b, bp, K, ldb, panelBytes): four neighbouring panels at once, bp + j·panelBytes for j < 4, each
 * bp[k][0..8) = b[k·ldb + 8j + 0..8) (eight vectors a row of B: two cache lines read whole).
 */
function packFourBody(): number[] {
  const [b, bp, K, ldb, panelBytes] = [0, 1, 2, 3, 4]
  const panel = (j: number) => 5 + j
  const code: number[] = [...get(bp), ...set(panel(0))]
  for (let j = 1; j < 4; j++) code.push(...get(panel(j - 1)), ...get(panelBytes), ...add, ...set(panel(j)))
  const step: number[] = []
  for (let j = 0; j < 4; j++)
    for (const h of [0, 1]) step.push(...get(panel(j)), ...get(b), ...load(32 * j + 16 * h), ...store(16 * h))
  step.push(...floatsOn(b, ldb), ...set(b))
  for (let j = 0; j < 4; j++) step.push(...advance(panel(j), 32))
  code.push(...countDown(K, step))
  return functionBody([[4, i32]], code)
}

/**
 * pack8T(b, bp, K, ldb): bp[k][t] = b[t·ldb + k] for k < K, t < 8: a panel from 8 rows of a transposed B,
 * each read in order (the explicit Transpose it replaces took a third of a 197 × 3072 · (768 × 3072)ᵀ
 * product). Four k at a time: a vector from each row, two 4 × 4 transposes by shuffles, four rows of the
 * panel stored; the last K mod 4 a float at a time.
 */
function packTransposedBody(): number[] {
  const [b, bp, K, ldb] = [0, 1, 2, 3]
  const row = (t: number) => 4 + t
  const quads = 12
  const v = (t: number) => 13 + t
  const half = (q: number) => 21 + q
  const code: number[] = [...get(b), ...set(row(0))]
  for (let t = 1; t < 8; t++) code.push(...floatsOn(row(t - 1), ldb), ...set(row(t)))
  const quad: number[] = []
  for (let t = 0; t < 8; t++) quad.push(...get(row(t)), ...load(0), ...set(v(t)), ...advance(row(t), 16))
  // Rows r..r+3 (the panel's columns r..r+3): halves interleave two rows' k pairs; each column of the
  // block (one k of the 4 rows) is then two halves' matching pairs, stored at row k of the panel.
  for (const r of [0, 4]) {
    for (const [q, first, lanes] of [
      [0, r, [0, 4, 1, 5]],
      [1, r + 2, [0, 4, 1, 5]],
      [2, r, [2, 6, 3, 7]],
      [3, r + 2, [2, 6, 3, 7]],
    ] as const)
      quad.push(...get(v(first)), ...get(v(first + 1)), ...floatShuffle([...lanes]), ...set(half(q)))
    for (const [k, first, lanes] of [
      [0, 0, [0, 1, 4, 5]],
      [1, 0, [2, 3, 6, 7]],
      [2, 2, [0, 1, 4, 5]],
      [3, 2, [2, 3, 6, 7]],
    ] as const)
      quad.push(
        ...get(bp),
        ...get(half(first)),
        ...get(half(first + 1)),
        ...floatShuffle([...lanes]),
        ...store(32 * k + 4 * r),
      )
  }
  quad.push(...advance(bp, 128))
  const single: number[] = []
  for (let t = 0; t < 8; t++) {
    single.push(...get(bp), ...get(row(t)), 0x2a, 2, 0, 0x38, 2, ...unsignedLeb(4 * t)) // f32.load, f32.store
    single.push(...advance(row(t), 4))
  }
  single.push(...advance(bp, 32))
  code.push(...get(K), ...constant(2), ...shrU, ...tee(quads), 0x04, 0x40) // if K / 4 ≠ 0
  code.push(...countDown(quads, quad), 0x0b)
  code.push(...get(K), ...constant(3), ...i32And, ...tee(K), 0x04, 0x40) // if K mod 4 ≠ 0
  code.push(...countDown(K, single), 0x0b)
  return functionBody(
    [
      [9, i32],
      [12, v128],
    ],
    code,
  )
}

/**
 * The module's bytes. `shared`: it imports a shared memory (the threaded wasm build's heap); else a plain one.
 * `fused`: f32x4.relaxed_madd (needs relaxed SIMD), else a multiply and an add.
 */
export function gemmModuleBytes(opts: { shared: boolean; fused: boolean }): Uint8Array {
  const params = (count: number) => Array.from({ length: count }, () => i32)
  return moduleBytes(opts.shared, [
    { name: 'kernel4x8', params: params(7), body: kernelBody(4, opts.fused) },
    { name: 'kernel1x8', params: params(7), body: kernelBody(1, opts.fused) },
    { name: 'pack8', params: params(4), body: packBody() },
    { name: 'pack32', params: params(5), body: packFourBody() },
    { name: 'pack8T', params: params(4), body: packTransposedBody() },
    { name: 'conv4x8', params: params(10), body: indirectKernelBody(opts.fused, false) },
    { name: 'filterGradient4x8', params: params(13), body: indirectKernelBody(opts.fused, true) },
  ])
}
