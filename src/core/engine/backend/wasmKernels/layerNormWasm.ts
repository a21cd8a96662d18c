// Layer normalisation's passes over rows as WebAssembly, four floats at a time (layerNormKernels.ts does each
// row's few scalar steps in JavaScript between them). In JavaScript each pass ran at about 2 ns a float: the
// fused kernels took 3.7 s of a Swin-UNet paper step on one thread. Sums are kept in float64 (each float
// widened exactly, products of two floats exact), as the JavaScript kernels keep them. Pointers are byte
// offsets in the heap; rows ≥ 1; vectors (≥ 1) counts groups of 4 floats in a row.
//   moments(x, sums, rows, vectors): per row, sums[row] = [Σx (2 lanes), Σx² (2 lanes)] as 4 doubles.
//   normalise(x, y, w, b, mean, invStd, rows, vectors): y = (x − mean[row])·invStd[row]·w + b.
//   gradientSums(dy, x, w, mean, invStd, sums, rows, vectors): per row, with g = dy·w and x̂ = (x − mean)·invStd,
//     sums[row] = [Σg (2 lanes), Σg·x̂ (2 lanes)].
//   inputGradient(dy, x, w, mean, invStd, coefficients, dx, rows, vectors): with coefficients[row] = [Σg/C,
//     Σg·x̂/C] as two floats, dx = invStd·(g − Σg/C − x̂·Σg·x̂/C).
//   weightGradient(dy, x, mean, invStd, sums, rows, vectors, rowBytes): for a block of `vectors` columns (dy and
//     x point at its first column in row 0, rows `rowBytes` apart), sums[v] = [Σ dy·x̂ (4 lanes), Σ dy (4 lanes)]
//     as 8 doubles per vector, added to what sums holds.
import {
  add,
  advance,
  constant,
  countDown,
  f32x4Add,
  f32x4Mul,
  f32x4Sub,
  f64x2Add,
  f64x2Mul,
  f64x2PromoteLow,
  floatShuffle,
  functionBody,
  get,
  i32,
  i32x4Splat,
  load,
  loadSplat,
  moduleBytes,
  set,
  store,
  v128,
} from './wasmEmitter'

const highLanes = floatShuffle([2, 3, 0, 1])
const zero = [...constant(0), ...i32x4Splat]

/** Locals: i32 params first, then `i32s` more i32s, then v128s; returns the index of each name. */
function localsOf(params: string[], i32s: string[], v128s: string[]) {
  const index: Record<string, number> = {}
  ;[...params, ...i32s, ...v128s].forEach((name, i) => (index[name] = i))
  return {
    l: index,
    declarations: [
      [i32s.length, i32],
      [v128s.length, v128],
    ].filter(([n]) => n > 0),
  }
}

/** acc0 += low two lanes of v as doubles, acc1 += high two (v128 locals). */
const widenInto = (v: number[], acc0: number, acc1: number) => [
  ...[...get(acc0), ...v, ...f64x2PromoteLow, ...f64x2Add, ...set(acc0)],
  ...[...get(acc1), ...v, ...v, ...highLanes, ...f64x2PromoteLow, ...f64x2Add, ...set(acc1)],
]

/** Per row: a loop over its vectors adding into four f64x2 accumulators, stored as 4 doubles at `sums`. */
function rowSums(
  l: Record<string, number>,
  setUp: number[],
  perVector: number[],
  advanceAll: number[],
  rowEnd: number[] = [],
) {
  return countDown(l.rows, [
    ...[...zero, ...set(l.s0), ...zero, ...set(l.s1), ...zero, ...set(l.q0), ...zero, ...set(l.q1)],
    ...setUp,
    ...[...get(l.vectors), ...set(l.left)],
    ...countDown(l.left, [...perVector, ...advanceAll]),
    ...[...get(l.sums), ...get(l.s0), ...get(l.s1), ...f64x2Add, ...store(0)],
    ...[...get(l.sums), ...get(l.q0), ...get(l.q1), ...f64x2Add, ...store(16)],
    ...advance(l.sums, 32),
    ...rowEnd,
  ])
}

function momentsBody(): number[] {
  const { l, declarations } = localsOf(
    ['x', 'sums', 'rows', 'vectors'],
    ['left'],
    ['v', 's0', 's1', 'q0', 'q1'],
  )
  const v = get(l.v)
  const perVector = [
    ...[...get(l.x), ...load(0), ...set(l.v)],
    ...widenInto(v, l.s0, l.s1),
    ...[
      ...get(l.q0),
      ...v,
      ...f64x2PromoteLow,
      ...v,
      ...f64x2PromoteLow,
      ...f64x2Mul,
      ...f64x2Add,
      ...set(l.q0),
    ],
    ...[...get(l.q1), ...v, ...v, ...highLanes, ...f64x2PromoteLow],
    ...[...v, ...v, ...highLanes, ...f64x2PromoteLow, ...f64x2Mul, ...f64x2Add, ...set(l.q1)],
  ]
  return functionBody(declarations, rowSums(l, [], perVector, advance(l.x, 16)))
}

/** mu and r splatted from this row's mean and invStd, the weight (and bias) pointers back at their start. */
const rowStart = (l: Record<string, number>, pointers: [string, string][]) => [
  ...[...get(l.mean), ...loadSplat(0), ...set(l.mu), ...get(l.invStd), ...loadSplat(0), ...set(l.r)],
  ...pointers.flatMap(([to, from]) => [...get(l[from]), ...set(l[to])]),
]

/** (x − mu)·r for the vector at x, on the stack. */
const xhatOf = (l: Record<string, number>) => [
  ...[...get(l.x), ...load(0), ...get(l.mu), ...f32x4Sub, ...get(l.r), ...f32x4Mul],
]

function normaliseBody(): number[] {
  const { l, declarations } = localsOf(
    ['x', 'y', 'w', 'b', 'mean', 'invStd', 'rows', 'vectors'],
    ['left', 'wp', 'bp'],
    ['mu', 'r'],
  )
  const code = countDown(l.rows, [
    ...rowStart(l, [
      ['wp', 'w'],
      ['bp', 'b'],
    ]),
    ...[...get(l.vectors), ...set(l.left)],
    ...countDown(l.left, [
      ...[
        ...get(l.y),
        ...xhatOf(l),
        ...get(l.wp),
        ...load(0),
        ...f32x4Mul,
        ...get(l.bp),
        ...load(0),
        ...f32x4Add,
      ],
      ...store(0),
      ...[...advance(l.x, 16), ...advance(l.y, 16), ...advance(l.wp, 16), ...advance(l.bp, 16)],
    ]),
    ...[...advance(l.mean, 4), ...advance(l.invStd, 4)],
  ])
  return functionBody(declarations, code)
}

function gradientSumsBody(): number[] {
  const { l, declarations } = localsOf(
    ['dy', 'x', 'w', 'mean', 'invStd', 'sums', 'rows', 'vectors'],
    ['left', 'wp'],
    ['mu', 'r', 'g', 'p', 's0', 's1', 'q0', 'q1'],
  )
  const perVector = [
    ...[...get(l.dy), ...load(0), ...get(l.wp), ...load(0), ...f32x4Mul, ...set(l.g)],
    ...[...get(l.g), ...xhatOf(l), ...f32x4Mul, ...set(l.p)],
    ...widenInto(get(l.g), l.s0, l.s1),
    ...widenInto(get(l.p), l.q0, l.q1),
  ]
  const advanceAll = [...advance(l.dy, 16), ...advance(l.x, 16), ...advance(l.wp, 16)]
  const rowEnd = [...advance(l.mean, 4), ...advance(l.invStd, 4)]
  return functionBody(declarations, rowSums(l, rowStart(l, [['wp', 'w']]), perVector, advanceAll, rowEnd))
}

function inputGradientBody(): number[] {
  const { l, declarations } = localsOf(
    ['dy', 'x', 'w', 'mean', 'invStd', 'coefficients', 'dx', 'rows', 'vectors'],
    ['left', 'wp'],
    ['mu', 'r', 'meanG', 'meanGXhat'],
  )
  const code = countDown(l.rows, [
    ...rowStart(l, [['wp', 'w']]),
    ...[...get(l.coefficients), ...loadSplat(0), ...set(l.meanG)],
    ...[...get(l.coefficients), ...loadSplat(4), ...set(l.meanGXhat)],
    ...[...get(l.vectors), ...set(l.left)],
    ...countDown(l.left, [
      ...[
        ...get(l.dx),
        ...get(l.dy),
        ...load(0),
        ...get(l.wp),
        ...load(0),
        ...f32x4Mul,
        ...get(l.meanG),
        ...f32x4Sub,
      ],
      ...[...xhatOf(l), ...get(l.meanGXhat), ...f32x4Mul, ...f32x4Sub, ...get(l.r), ...f32x4Mul, ...store(0)],
      ...[...advance(l.dy, 16), ...advance(l.x, 16), ...advance(l.wp, 16), ...advance(l.dx, 16)],
    ]),
    ...[...advance(l.mean, 4), ...advance(l.invStd, 4), ...advance(l.coefficients, 8)],
  ])
  return functionBody(declarations, code)
}

function weightGradientBody(): number[] {
  const { l, declarations } = localsOf(
    ['dy', 'x', 'mean', 'invStd', 'sums', 'rows', 'vectors', 'rowBytes'],
    ['left', 'dyp', 'xp', 'at'],
    ['mu', 'r', 'g', 'p'],
  )
  const addAt = (offset: number, v: number[]) => [
    ...[...get(l.at), ...get(l.at), ...load(offset), ...v, ...f64x2PromoteLow, ...f64x2Add, ...store(offset)],
  ]
  const code = countDown(l.rows, [
    ...[...get(l.mean), ...loadSplat(0), ...set(l.mu), ...get(l.invStd), ...loadSplat(0), ...set(l.r)],
    ...[...get(l.dy), ...set(l.dyp), ...get(l.x), ...set(l.xp), ...get(l.sums), ...set(l.at)],
    ...[...get(l.vectors), ...set(l.left)],
    ...countDown(l.left, [
      ...[...get(l.dyp), ...load(0), ...set(l.g)],
      ...[
        ...get(l.g),
        ...get(l.xp),
        ...load(0),
        ...get(l.mu),
        ...f32x4Sub,
        ...get(l.r),
        ...f32x4Mul,
        ...f32x4Mul,
      ],
      ...set(l.p),
      ...addAt(0, get(l.p)),
      ...addAt(16, [...get(l.p), ...get(l.p), ...highLanes]),
      ...addAt(32, get(l.g)),
      ...addAt(48, [...get(l.g), ...get(l.g), ...highLanes]),
      ...[...advance(l.dyp, 16), ...advance(l.xp, 16), ...advance(l.at, 64)],
    ]),
    ...[
      ...get(l.dy),
      ...get(l.rowBytes),
      ...add,
      ...set(l.dy),
      ...get(l.x),
      ...get(l.rowBytes),
      ...add,
      ...set(l.x),
    ],
    ...[...advance(l.mean, 4), ...advance(l.invStd, 4)],
  ])
  return functionBody(declarations, code)
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function layerNormModuleBytes(shared: boolean): Uint8Array {
  const params = (n: number) => Array.from({ length: n }, () => i32)
  return moduleBytes(shared, [
    { name: 'moments', params: params(4), body: momentsBody() },
    { name: 'normalise', params: params(8), body: normaliseBody() },
    { name: 'gradientSums', params: params(8), body: gradientSumsBody() },
    { name: 'inputGradient', params: params(9), body: inputGradientBody() },
    { name: 'weightGradient', params: params(8), body: weightGradientBody() },
  ])
}
