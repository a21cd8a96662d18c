// Batch normalisation's passes over rows as WebAssembly (batchNormKernels.ts does each channel's few scalar
// steps in JavaScript between them). The JavaScript passes ran at about 1–2 ns a value: batch norm took 4.2 s of
// a ResNet-50 paper step on one thread. The arithmetic is the JavaScript kernels' own, in float64 two lanes at a
// time (each float widened exactly, products of two floats exact, sums in row order, one rounding to float32
// at the end), so the results have their bits. For a block of `vectors` channel vectors (4 channels each): the
// pointers are at its first channel in row 0, rows `rowBytes` apart; pointers are byte offsets in the heap;
// rows and vectors ≥ 1.
//   columnSums(a, b, sums, rows, vectors, rowBytes): sums[v] += [Σa (4 lanes), Σa·b (4 lanes)], 8 doubles.
//   affine(x, y, coefficients, rows, vectors, rowBytes): y = x·scale + shift, coefficients[v] = [scale (4
//     lanes), shift (4 lanes)] as 8 doubles.
//   affine2(dy, x, dx, coefficients, rows, vectors, rowBytes): dx = (a·dy + b·x) + d, coefficients[v] = [a, b,
//     d] as 12 doubles.
import {
  add,
  advance,
  countDown,
  f32x4DemoteZero,
  f64x2Add,
  f64x2Mul,
  f64x2PromoteLow,
  floatShuffle,
  functionBody,
  get,
  i32,
  load,
  moduleBytes,
  set,
  store,
  v128,
} from './wasmEmitter'

/** The low two lanes of a vector (local) as doubles; `high`: its high two. */
const widened = (local: number, high: boolean) =>
  high
    ? [...get(local), ...get(local), ...floatShuffle([2, 3, 0, 1]), ...f64x2PromoteLow]
    : [...get(local), ...f64x2PromoteLow]
/** Two pairs of doubles on the stack (low lanes first) rounded into one vector of 4 floats. */
const narrowed = [...floatShuffle([0, 1, 4, 5])]

/**
 * A pass over rows × vectors: `pointers` (i32 params) each walk a row's vectors 16 bytes at a time and move to the
 * next row `rowBytes` on; `coefficients` walks `coefficientBytes` per vector and restarts each row.
 */
function rowsPass(
  pointers: number[],
  coefficients: number,
  coefficientBytes: number,
  rows: number,
  vectors: number,
  rowBytes: number,
  firstLocal: number,
  perVector: (at: (pointer: number) => number, c: number) => number[],
): number[] {
  const walking = pointers.map((_, i) => firstLocal + i)
  const [c, left] = [firstLocal + pointers.length, firstLocal + pointers.length + 1]
  const at = (pointer: number) => walking[pointers.indexOf(pointer)]
  const row = [
    ...pointers.flatMap((p, i) => [...get(p), ...set(walking[i])]),
    ...[...get(coefficients), ...set(c), ...get(vectors), ...set(left)],
    ...countDown(left, [
      ...perVector(at, c),
      ...walking.flatMap((w) => advance(w, 16)),
      ...advance(c, coefficientBytes),
    ]),
    ...pointers.flatMap((p) => [...get(p), ...get(rowBytes), ...add, ...set(p)]),
  ]
  return countDown(rows, row)
}

function columnSumsBody(): number[] {
  const [a, b, sums, rows, vectors, rowBytes] = [0, 1, 2, 3, 4, 5]
  const [va, vb] = [10, 11]
  const code = rowsPass([a, b], sums, 64, rows, vectors, rowBytes, 6, (at, s) => [
    ...[...get(at(a)), ...load(0), ...set(va), ...get(at(b)), ...load(0), ...set(vb)],
    ...[0, 16].flatMap((offset) => {
      const high = offset === 16
      return [
        ...[...get(s), ...get(s), ...load(offset), ...widened(va, high), ...f64x2Add, ...store(offset)],
        ...[...get(s), ...get(s), ...load(32 + offset), ...widened(va, high), ...widened(vb, high)],
        ...[...f64x2Mul, ...f64x2Add, ...store(32 + offset)],
      ]
    }),
  ])
  return functionBody(
    [
      [4, i32],
      [2, v128],
    ],
    code,
  )
}

function affineBody(): number[] {
  const [x, y, coefficients, rows, vectors, rowBytes] = [0, 1, 2, 3, 4, 5]
  const vx = 10
  const code = rowsPass([x, y], coefficients, 64, rows, vectors, rowBytes, 6, (at, c) => [
    ...[...get(at(x)), ...load(0), ...set(vx)],
    ...get(at(y)),
    ...[0, 16].flatMap((offset) => [
      ...[...widened(vx, offset === 16), ...get(c), ...load(offset), ...f64x2Mul],
      ...[...get(c), ...load(32 + offset), ...f64x2Add, ...f32x4DemoteZero],
    ]),
    ...narrowed,
    ...store(0),
  ])
  return functionBody(
    [
      [4, i32],
      [1, v128],
    ],
    code,
  )
}

function affine2Body(): number[] {
  const [dy, x, dx, coefficients, rows, vectors, rowBytes] = [0, 1, 2, 3, 4, 5, 6]
  const [vdy, vx] = [12, 13]
  const code = rowsPass([dy, x, dx], coefficients, 96, rows, vectors, rowBytes, 7, (at, c) => [
    ...[...get(at(dy)), ...load(0), ...set(vdy), ...get(at(x)), ...load(0), ...set(vx)],
    ...get(at(dx)),
    ...[0, 16].flatMap((offset) => {
      const high = offset === 16
      return [
        ...[...widened(vdy, high), ...get(c), ...load(offset), ...f64x2Mul],
        ...[...widened(vx, high), ...get(c), ...load(32 + offset), ...f64x2Mul, ...f64x2Add],
        ...[...get(c), ...load(64 + offset), ...f64x2Add, ...f32x4DemoteZero],
      ]
    }),
    ...narrowed,
    ...store(0),
  ])
  return functionBody(
    [
      [5, i32],
      [2, v128],
    ],
    code,
  )
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function batchNormModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes(shared, [
    { name: 'columnSums', params: [i32, i32, i32, i32, i32, i32], body: columnSumsBody() },
    { name: 'affine', params: [i32, i32, i32, i32, i32, i32], body: affineBody() },
    { name: 'affine2', params: [i32, i32, i32, i32, i32, i32, i32], body: affine2Body() },
  ])
}
