// Exp, Erf and GELU (forward and gradient) as WebAssembly SIMD, four floats at a time. tfjs-wasm runs both through the C library one float
// at a time: exp at about 7 ns a float, erf at about 15 (a GELU's erf over a Swin block's [3136, 384] took
// 18 ms, and a Swin-UNet paper step spends 1.9 s in the two on one thread, none of it on a second thread).
//
// exp(x), as Cephes' expf (S. L. Moshier, Cephes Math Library): n = round(x·log₂e), r = x − n·ln 2 in two
// parts (C1 exact in 9 bits, C2 the rest), e^r by its degree-7 polynomial, then times 2ⁿ. 2ⁿ is built from
// exponent bits in two halves, 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋), so that the whole range of float32 results is
// reached without a special case: x is first clamped to [−104, 89], beyond which e^x is 0 or +∞ in float32
// anyway, and the product then rounds to a subnormal, 0 or +∞ once, as a correctly rounded exp would. NaN
// stays NaN (min and max propagate it). Within 2⁻²³ of e^x, nine in ten results correctly rounded (expErf.test.ts).
//
// erf(x), as tfjs's cpu and WebGL kernels compute it (Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7, the
// constants of backend_util.ERF_*): t = 1 / (1 + p·|x|), erf = sign(x) · (1 − t·(a₁ + t·(a₂ + … + t·a₅)) ·
// e^(−x²)), with the exp above inline. So wasm agrees with the other backends instead of with glibc.
// GELU and its gradient from the same pieces, below.
// Exports exp(x, out, vectors), erf(x, out, vectors), gelu(x, out, vectors) and geluGrad(x, dy, dx, vectors): pointers are byte offsets in the heap, `vectors`
// (≥ 1) counts groups of 4 floats; out may be x.
import { backend_util } from '@tensorflow/tfjs'
import {
  advance,
  constant,
  countDown,
  f32Constant,
  f32x4Abs,
  f32x4Add,
  f32x4Div,
  f32x4Max,
  f32x4Min,
  f32x4Mul,
  f32x4Nearest,
  f32x4Neg,
  f32x4Splat,
  f32x4Sub,
  functionBody,
  get,
  i32,
  i32x4Add,
  i32x4Shl,
  i32x4ShrS,
  i32x4Splat,
  i32x4Sub,
  i32x4TruncSatF32x4,
  load,
  moduleBytes,
  set,
  store,
  tee,
  v128,
  v128Bitselect,
} from './wasmEmitter'

// Cephes expf.c.
const expPolynomial = [
  1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
]
const ln2High = 0.693359375
const ln2Low = -2.1219444e-4
// Past these e^x is 0 (below 2⁻¹⁴⁹ from x ≈ −103.3) or +∞ (above x ≈ 88.72) in float32.
const expLowest = -104
const expHighest = 89

// Abramowitz & Stegun 7.1.26, as tfjs uses it (tfjs-core erf_util.ts).
const erfP = backend_util.ERF_P
const erfA = [
  backend_util.ERF_A1,
  backend_util.ERF_A2,
  backend_util.ERF_A3,
  backend_util.ERF_A4,
  backend_util.ERF_A5,
]

const [x, out, vectors] = [0, 1, 2]

/** v128 locals from index `first` (after the parameters): named constants first (set once before the loop), then temporaries. */
function locals(constants: Record<string, number>, temporaries: string[], first = 3) {
  const index: Record<string, number> = {}
  let next = first
  for (const name of [...Object.keys(constants), ...temporaries]) index[name] = next++
  const setUp = Object.entries(constants).flatMap(([name, value]) =>
    name === 'bias' || name === 'signMask'
      ? [...constant(value), ...i32x4Splat, ...set(index[name])]
      : [...f32Constant(value), ...f32x4Splat, ...set(index[name])],
  )
  return { index, count: next - first, setUp }
}

const expConstants = {
  lowest: expLowest,
  highest: expHighest,
  log2e: Math.LOG2E,
  ln2High,
  ln2Low,
  one: 1,
  ...Object.fromEntries(expPolynomial.map((c, i) => [`p${i}`, c])),
  bias: 127,
}
const expTemporaries = ['value', 'n', 'r', 'y', 'half']

/** Leaves e^(local `from`) on the stack; `from` is clamped in place. */
function expOf(l: Record<string, number>, from: number): number[] {
  const poly = expPolynomial.flatMap((_, i) =>
    i === 0 ? get(l.p0) : [...get(l.r), ...f32x4Mul, ...get(l[`p${i}`]), ...f32x4Add],
  )
  /** 2^(int lanes on the stack), as float bits: (k + 127) << 23. */
  const power = [...get(l.bias), ...i32x4Add, ...constant(23), ...i32x4Shl]
  return [
    ...[...get(from), ...get(l.lowest), ...f32x4Max, ...get(l.highest), ...f32x4Min, ...set(from)],
    ...[...get(from), ...get(l.log2e), ...f32x4Mul, ...f32x4Nearest, ...set(l.n)],
    ...[...get(from), ...get(l.n), ...get(l.ln2High), ...f32x4Mul, ...f32x4Sub],
    ...[...get(l.n), ...get(l.ln2Low), ...f32x4Mul, ...f32x4Sub, ...set(l.r)],
    // y = poly(r)·r² + r + 1
    ...[...poly, ...get(l.r), ...get(l.r), ...f32x4Mul, ...f32x4Mul, ...get(l.r), ...f32x4Add],
    ...[...get(l.one), ...f32x4Add, ...set(l.y)],
    // n as int lanes, its halves ⌊n/2⌋ (in `half`) and n − ⌊n/2⌋ (in n).
    ...[...get(l.n), ...i32x4TruncSatF32x4, ...set(l.n)],
    ...[...get(l.n), ...constant(1), ...i32x4ShrS, ...set(l.half)],
    ...[...get(l.n), ...get(l.half), ...i32x4Sub, ...set(l.n)],
    ...[...get(l.y), ...get(l.half), ...power, ...f32x4Mul, ...get(l.n), ...power, ...f32x4Mul],
  ]
}

/** One pass over `vectors` groups of 4: out ← f(x), `step` reading local `value` and leaving f on the stack. */
function elementwise(l: ReturnType<typeof locals>, step: number[]): number[] {
  const body = [
    ...[...get(x), ...load(0), ...set(l.index.value)],
    ...[...get(out), ...step, ...store(0)],
    ...advance(x, 16),
    ...advance(out, 16),
  ]
  return functionBody([[l.count, v128]], [...l.setUp, ...countDown(vectors, body)])
}

function expBody(): number[] {
  const l = locals(expConstants, expTemporaries)
  return elementwise(l, expOf(l.index, l.index.value))
}

const erfConstants = {
  ...expConstants,
  erfP,
  ...Object.fromEntries(erfA.map((a, i) => [`a${i + 1}`, a])),
  signMask: 0x7fffffff,
}
const erfTemporaries = [...expTemporaries, 'abs', 't', 'q', 'square']

/** Leaves erf(local `from`) on the stack (`from` unchanged); e^(−from²) also in local `keepExp` when given. */
function erfOf(v: Record<string, number>, from: number, keepExp?: number): number[] {
  const q = erfA.flatMap((_, i) => {
    const a = get(v[`a${erfA.length - i}`])
    return i === 0 ? [...a, ...get(v.t), ...f32x4Mul] : [...a, ...f32x4Add, ...get(v.t), ...f32x4Mul]
  })
  return [
    ...[...get(from), ...f32x4Abs, ...set(v.abs)],
    ...[...get(v.one), ...get(v.one), ...get(v.erfP), ...get(v.abs), ...f32x4Mul, ...f32x4Add, ...f32x4Div],
    ...set(v.t),
    ...[...q, ...set(v.q)],
    ...[...get(v.abs), ...get(v.abs), ...f32x4Mul, ...f32x4Neg, ...set(v.square)],
    // 1 − q·e^(−x²), then x's sign on it: (y & 0x7fffffff) | (x & sign).
    ...[...get(v.one), ...get(v.q), ...expOf(v, v.square), ...(keepExp == null ? [] : tee(keepExp))],
    ...[...f32x4Mul, ...f32x4Sub],
    ...[...get(from), ...get(v.signMask), ...v128Bitselect],
  ]
}

function erfBody(): number[] {
  const l = locals(erfConstants, erfTemporaries)
  return elementwise(l, erfOf(l.index, l.index.value))
}

// GELU, torch.nn.GELU()'s exact form: gelu(x) = ½x·(1 + erf(x/√2)), and its derivative
// Φ(x) + x·φ(x) = ½(1 + erf(x/√2)) + x·e^(−x²/2)/√(2π).
const geluConstants = {
  ...erfConstants,
  oneHalf: 0.5,
  sqrtHalf: Math.SQRT1_2,
  invSqrt2Pi: 1 / Math.sqrt(2 * Math.PI),
}
const geluTemporaries = [...erfTemporaries, 'u', 'cdf', 'gaussian']

/**
 * gelu(x, out, vectors): out ← (x·½)·(erf(x·√½) + 1), the operations of the composed tfjs ops (models/vit/gelu.ts)
 * in their order, so wasm's fused forward has their bits.
 */
function geluBody(): number[] {
  const l = locals(geluConstants, geluTemporaries)
  const v = l.index
  return elementwise(l, [
    ...[...get(v.value), ...get(v.sqrtHalf), ...f32x4Mul, ...set(v.u)],
    ...[...get(v.value), ...get(v.oneHalf), ...f32x4Mul],
    ...[...erfOf(v, v.u), ...get(v.one), ...f32x4Add, ...f32x4Mul],
  ])
}

/**
 * geluGrad(x, dy, dx, vectors): dx ← dy·(Φ(x) + x·φ(x)), Φ from erf as above and φ = e^(−u²)/√(2π) from the
 * exponential erf computes anyway (u = x/√2, so u² = x²/2).
 */
function geluGradBody(): number[] {
  const [xAt, dyAt, dxAt, count] = [0, 1, 2, 3]
  const l = locals(geluConstants, [...geluTemporaries, 'dy'], 4)
  const v = l.index
  const body = [
    ...[...get(xAt), ...load(0), ...set(v.value)],
    ...[...get(dyAt), ...load(0), ...set(v.dy)],
    ...[...get(v.value), ...get(v.sqrtHalf), ...f32x4Mul, ...set(v.u)],
    ...[
      ...erfOf(v, v.u, v.gaussian),
      ...get(v.one),
      ...f32x4Add,
      ...get(v.oneHalf),
      ...f32x4Mul,
      ...set(v.cdf),
    ],
    ...get(dxAt),
    ...[...get(v.dy), ...get(v.cdf), ...get(v.value), ...get(v.gaussian)],
    ...[...get(v.invSqrt2Pi), ...f32x4Mul, ...f32x4Mul, ...f32x4Add, ...f32x4Mul, ...store(0)],
    ...advance(xAt, 16),
    ...advance(dyAt, 16),
    ...advance(dxAt, 16),
  ]
  return functionBody([[l.count, v128]], [...l.setUp, ...countDown(count, body)])
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function expErfModuleBytes(shared: boolean): Uint8Array {
  const params = [i32, i32, i32]
  return moduleBytes(shared, [
    { name: 'exp', params, body: expBody() },
    { name: 'erf', params, body: erfBody() },
    { name: 'gelu', params, body: geluBody() },
    { name: 'geluGrad', params: [i32, i32, i32, i32], body: geluGradBody() },
  ])
}
