// Column sums (sum.ts) as one WebAssembly pass: out[k] = Σ_r x[r·stride + k] for a block of columns, four at a
// time, each added up in double precision row by row, as the JavaScript loop did (its bits exactly: the same
// exact widening, the same double additions in the same order, the same rounding to float at the end). The
// loop ran at about 0.3 G additions per second; a bias gradient of [3136, 96] took 1.0 ms.
// Exports columnSums(x, out, accumulators, rows, vectors, stride): pointers are byte offsets in the heap,
// `accumulators` has room for 4·vectors doubles, `vectors` (≥ 1) counts groups of 4 columns, `rows` ≥ 1, and
// `stride` is a row's length in bytes.
import {
  add,
  advance,
  constant,
  countDown,
  f32x4DemoteZero,
  f64x2Add,
  f64x2PromoteLow,
  floatShuffle,
  functionBody,
  get,
  i32,
  i32x4Splat,
  load,
  moduleBytes,
  set,
  store,
  v128,
} from './wasmEmitter'

function columnSumsBody(): number[] {
  const [x, out, accumulators, rows, vectors, stride] = [0, 1, 2, 3, 4, 5]
  const [row, at, sum, left] = [6, 7, 8, 9]
  const values = 10
  const eachVector = (body: number[]) => [
    ...get(vectors),
    ...set(left),
    ...get(accumulators),
    ...set(sum),
    ...countDown(left, body),
  ]
  const code: number[] = [
    // Accumulators to zero.
    ...eachVector([
      ...[...get(sum), ...constant(0), ...i32x4Splat, ...store(0)],
      ...[...get(sum), ...constant(0), ...i32x4Splat, ...store(16)],
      ...advance(sum, 32),
    ]),
    // Row by row: the four floats of each vector widened to two pairs of doubles and added in.
    ...get(x),
    ...set(row),
    ...countDown(rows, [
      ...get(row),
      ...set(at),
      ...eachVector([
        ...[...get(at), ...load(0), ...set(values)],
        ...[
          ...get(sum),
          ...get(sum),
          ...load(0),
          ...get(values),
          ...f64x2PromoteLow,
          ...f64x2Add,
          ...store(0),
        ],
        ...[...get(sum), ...get(sum), ...load(16), ...get(values), ...get(values)],
        ...[...floatShuffle([2, 3, 2, 3]), ...f64x2PromoteLow, ...f64x2Add, ...store(16)],
        ...advance(at, 16),
        ...advance(sum, 32),
      ]),
      ...[...get(row), ...get(stride), ...add, ...set(row)],
    ]),
    // The sums rounded to floats, four at a time.
    ...eachVector([
      ...[
        ...get(out),
        ...get(sum),
        ...load(0),
        ...f32x4DemoteZero,
        ...get(sum),
        ...load(16),
        ...f32x4DemoteZero,
      ],
      ...[...floatShuffle([0, 1, 4, 5]), ...store(0)],
      ...advance(out, 16),
      ...advance(sum, 32),
    ]),
  ]
  return functionBody(
    [
      [4, i32],
      [1, v128],
    ],
    code,
  )
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function columnSumModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes(shared, [
    { name: 'columnSums', params: [i32, i32, i32, i32, i32, i32], body: columnSumsBody() },
  ])
}
