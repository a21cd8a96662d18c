// A few WebAssembly encodings, enough to emit our kernels' modules byte by byte (gemmWasm.ts, adamUpdateWasm.ts):
// LEB128 numbers, sections, the instructions the kernels use, and a module of functions over an imported heap.

// Value types.
export const i32 = 0x7f
export const f32 = 0x7d
export const v128 = 0x7b

export function unsignedLeb(n: number): number[] {
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
export const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()]

// The few instructions the kernels use.
export const get = (l: number) => [0x20, ...unsignedLeb(l)]
export const set = (l: number) => [0x21, ...unsignedLeb(l)]
export const tee = (l: number) => [0x22, ...unsignedLeb(l)]
export const constant = (n: number) => [0x41, ...signedLeb(n)]
/** f32.const: the number rounded to float32, little-endian. */
export const f32Constant = (n: number) => [0x43, ...new Uint8Array(Float32Array.of(n).buffer)]
export const add = [0x6a]
const sub = [0x6b]
const shl = [0x74]
export const simd = (op: number, ...rest: number[]) => [0xfd, ...unsignedLeb(op), ...rest]
// memarg: alignment (log2 bytes) and offset.
export const load = (offset: number) => simd(0x00, 4, ...unsignedLeb(offset))
export const loadSplat = (offset: number) => simd(0x09, 2, ...unsignedLeb(offset))
export const store = (offset: number) => simd(0x0b, 4, ...unsignedLeb(offset))
export const f32x4Splat = simd(0x13)
export const f32x4Sqrt = simd(0xe3)
export const f32x4Add = simd(0xe4)
export const f32x4Sub = simd(0xe5)
export const f32x4Mul = simd(0xe6)
export const f32x4Div = simd(0xe7)
export const f32x4RelaxedMadd = simd(0x105)
export const f32x4Min = simd(0xe8)
export const f32x4Max = simd(0xe9)
export const f32x4Abs = simd(0xe0)
export const f32x4Neg = simd(0xe1)
/** Rounds to the nearest integer, ties to even. */
export const f32x4Nearest = simd(0x6a)
export const i32x4Splat = simd(0x11)
/** Floats to int32 lanes, truncated, saturating (NaN → 0). */
export const i32x4TruncSatF32x4 = simd(0xf8)
export const i32x4Add = simd(0xae)
export const i32x4Sub = simd(0xb1)
/** Lane shifts by an i32 count on the stack after the vector. */
export const i32x4Shl = simd(0xab)
export const i32x4ShrS = simd(0xac)
/** (a & mask) | (b & ~mask) for a, b, mask on the stack in that order. */
export const v128Bitselect = simd(0x52)
export const f64x2Add = simd(0xf0)
export const f64x2Mul = simd(0xf2)
/** The low two float lanes widened to doubles (exact). */
export const f64x2PromoteLow = simd(0x5f)
/** Two doubles rounded to floats (to nearest, as a Float32Array store rounds) in lanes 0–1; lanes 2–3 zero. */
export const f32x4DemoteZero = simd(0x5e)
/** i8x16.shuffle of two vectors as float lanes: lanes 0–3 are the first's, 4–7 the second's. */
export const floatShuffle = (lanes: number[]) =>
  simd(0x0d, ...lanes.flatMap((l) => [0, 1, 2, 3].map((byte) => 4 * l + byte)))
export const i32And = [0x71]
export const shrU = [0x76]

// Encodings the functions share.
/** ptr + stride·4: the address `stride` floats on. */
export const floatsOn = (ptr: number, stride: number) => [
  ...get(ptr),
  ...get(stride),
  ...constant(2),
  ...shl,
  ...add,
]
/** ptr += bytes. */
export const advance = (ptr: number, bytes: number) => [...get(ptr), ...constant(bytes), ...add, ...set(ptr)]
/** `body` once per count of the local `counter`, counting it down to 0: a do-while, so the count must be ≥ 1. */
export const countDown = (counter: number, body: number[]) => [
  ...[0x03, 0x40], // loop
  ...body,
  ...[...get(counter), ...constant(1), ...sub, ...tee(counter), 0x0d, 0], // br_if 0 (again) while ≠ 0
  0x0b, // end loop
]
/** A function's code entry: its locals' declarations, its instructions, end. */
export const functionBody = (locals: number[][], code: number[]) => {
  const body = [...vector(locals), ...code, 0x0b]
  return [...unsignedLeb(body.length), ...body]
}

/** One exported function of a module: its name, its parameters' value types, and its encoded body. */
export interface EmittedFunction {
  name: string
  params: number[]
  body: number[]
}

/**
 * A module importing its memory as env.memory (`shared`: the threaded wasm build's shared heap, which must
 * state a maximum, all of wasm32's 65536 pages; else a plain one) and exporting `functions` in their order:
 * function i has index i. None returns a value.
 */
export function moduleBytes(shared: boolean, functions: EmittedFunction[]): Uint8Array {
  const limits = shared ? [0x03, ...unsignedLeb(1), ...unsignedLeb(65536)] : [0x00, ...unsignedLeb(1)]
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0x00])
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(functions.map((f) => f.body))),
  ]
  return Uint8Array.from(bytes)
}
