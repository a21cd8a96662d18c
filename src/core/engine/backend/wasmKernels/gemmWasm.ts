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
// took 8 of the 28 ms of a 197 × 3072 · 3072 × 768 product; with this one the product takes 21), and
// pack8T(b, bp, K, ldb) the same panel from 8 rows of a transposed B (B stored N × K). K must be ≥ 1.

const i32 = 0x7f
const v128 = 0x7b

function unsignedLeb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

function signedLeb(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

const name = (s: string) => [...unsignedLeb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]
const section = (id: number, body: number[]) => [id, ...unsignedLeb(body.length), ...body]
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()]

// The few instructions the kernels use.
const get = (l: number) => [0x20, ...unsignedLeb(l)]
const set = (l: number) => [0x21, ...unsignedLeb(l)]
const tee = (l: number) => [0x22, ...unsignedLeb(l)]
const constant = (n: number) => [0x41, ...signedLeb(n)]
const add = [0x6a]
const sub = [0x6b]
const shl = [0x74]
const simd = (op: number, ...rest: number[]) => [0xfd, ...unsignedLeb(op), ...rest]
// memarg: alignment (log2 bytes) and offset.
const load = (offset: number) => simd(0x00, 4, ...unsignedLeb(offset))
const loadSplat = (offset: number) => simd(0x09, 2, ...unsignedLeb(offset))
const store = (offset: number) => simd(0x0b, 4, ...unsignedLeb(offset))
const f32x4Add = simd(0xe4)
const f32x4Mul = simd(0xe6)
const f32x4RelaxedMadd = simd(0x105)

// Encodings the three functions share.
/** ptr + stride·4: the address `stride` floats on. */
const floatsOn = (ptr: number, stride: number) => [
  ...get(ptr),
  ...get(stride),
  ...constant(2),
  ...shl,
  ...add,
]
/** ptr += bytes. */
const advance = (ptr: number, bytes: number) => [...get(ptr), ...constant(bytes), ...add, ...set(ptr)]
/** `body` once per count of the local `counter`, counting it down to 0: a do-while, so the count must be ≥ 1. */
const countDown = (counter: number, body: number[]) => [
  ...[0x03, 0x40], // loop
  ...body,
  ...[...get(counter), ...constant(1), ...sub, ...tee(counter), 0x0d, 0], // br_if 0 (again) while ≠ 0
  0x0b, // end loop
]
/** A function's code entry: its locals' declarations, its instructions, end. */
const functionBody = (locals: number[][], code: number[]) => {
  const body = [...vector(locals), ...code, 0x0b]
  return [...unsignedLeb(body.length), ...body]
}

/** One kernel's body for `rows` rows of A (1–4). */
function kernelBody(rows: number, fused: boolean): number[] {
  // Parameters 0–6: a, bp, c, K (counted down), lda, ldc, more. Locals after them: rows' pointers (i32), b0,
  // b1, x, then two accumulators per row (v128).
  const [a, bp, c, K, lda, ldc, more] = [0, 1, 2, 3, 4, 5, 6]
  const p = (r: number) => 7 + r
  const b0 = 7 + rows
  const b1 = b0 + 1
  const x = b0 + 2
  const acc = (r: number, h: number) => b0 + 3 + 2 * r + h
  const code: number[] = []
  code.push(...get(a), ...set(p(0)))
  for (let r = 1; r < rows; r++) code.push(...floatsOn(p(r - 1), lda), ...set(p(r)))
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
  code.push(...countDown(K, step))
  // more ≠ 0: a later block of K, so C already holds the earlier blocks' sums; add them (p(0) walks C's rows).
  code.push(...get(more), 0x04, 0x40) // if
  code.push(...get(c), ...set(p(0)))
  for (let r = 0; r < rows; r++) {
    for (const h of [0, 1])
      code.push(...get(acc(r, h)), ...get(p(0)), ...load(16 * h), ...f32x4Add, ...set(acc(r, h)))
    if (r < rows - 1) code.push(...floatsOn(p(0), ldc), ...set(p(0)))
  }
  code.push(0x0b) // end if
  for (let r = 0; r < rows; r++) {
    code.push(...get(c), ...get(acc(r, 0)), ...store(0))
    code.push(...get(c), ...get(acc(r, 1)), ...store(16))
    if (r < rows - 1) code.push(...floatsOn(c, ldc), ...set(c))
  }
  return functionBody(
    [
      [...unsignedLeb(rows), i32],
      [...unsignedLeb(3 + 2 * rows), v128],
    ],
    code,
  )
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
 * pack8T(b, bp, K, ldb): bp[k][t] = b[t·ldb + k] for k < K, t < 8: a panel from 8 rows of a transposed B,
 * each read in order (the explicit Transpose it replaces took a third of a 197 × 3072 · (768 × 3072)ᵀ
 * product).
 */
function packTransposedBody(): number[] {
  const [b, bp, K, ldb] = [0, 1, 2, 3]
  const row = (t: number) => 4 + t
  const code: number[] = [...get(b), ...set(row(0))]
  for (let t = 1; t < 8; t++) code.push(...floatsOn(row(t - 1), ldb), ...set(row(t)))
  const step: number[] = []
  for (let t = 0; t < 8; t++) {
    step.push(...get(bp), ...get(row(t)), 0x2a, 2, 0, 0x38, 2, ...unsignedLeb(4 * t)) // f32.load, f32.store
    step.push(...advance(row(t), 4))
  }
  step.push(...advance(bp, 32))
  code.push(...countDown(K, step))
  return functionBody([[8, i32]], code)
}

/**
 * The module's bytes. `shared`: it imports a shared memory (the threaded wasm build's heap); else a plain one.
 * `fused`: f32x4.relaxed_madd (needs relaxed SIMD), else a multiply and an add.
 */
export function gemmModuleBytes(opts: { shared: boolean; fused: boolean }): Uint8Array {
  const kernelType = [0x60, ...vector([[i32], [i32], [i32], [i32], [i32], [i32], [i32]]), 0x00]
  const packType = [0x60, ...vector([[i32], [i32], [i32], [i32]]), 0x00]
  // Memory limits: shared memories must state a maximum (65536 pages, all of wasm32); a plain one need not.
  const limits = opts.shared ? [0x03, ...unsignedLeb(1), ...unsignedLeb(65536)] : [0x00, ...unsignedLeb(1)]
  const kernels: [string, number][] = [
    ['kernel4x8', 4],
    ['kernel1x8', 1],
  ]
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([kernelType, packType])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vector([...kernels.map(() => [0]), [1], [1]])),
    ...section(
      7,
      vector([
        ...kernels.map(([n], i) => [...name(n), 0x00, i]),
        [...name('pack8'), 0x00, kernels.length],
        [...name('pack8T'), 0x00, kernels.length + 1],
      ]),
    ),
    ...section(
      10,
      vector([...kernels.map(([, rows]) => kernelBody(rows, opts.fused)), packBody(), packTransposedBody()]),
    ),
  ]
  return Uint8Array.from(bytes)
}
