// A matrix transpose in 4 × 4 tiles as one WebAssembly pass, for Transpose and the filter gradient's
// channel-major copy (matrixTranspose.ts). tfjs-wasm's own kernel moves one float at a time; on the
// [100352, 96] input of a Swin-UNet's last 1 × 1 convolution at 224 px it took 58 ms, since the 96 rows it
// writes lie a multiple of 4 KB apart and evict each other from L1 on every float.
// Exports transposeTiles(source, out, groups, vectors, sourceStride, outStride): for 4·groups rows of the
// source (`sourceStride` bytes apart) and 4·vectors columns, out[c][r] = source[r][c], the output's rows
// `outStride` bytes apart. Column by column of tiles, every row group of it, so with 4 groups each output
// row gets 64 contiguous bytes (a cache line) per pass. Pointers are byte offsets in the heap; groups and
// vectors ≥ 1. Values are copied as bits (any 4-byte type).
import {
  add,
  advance,
  countDown,
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

function transposeTilesBody(): number[] {
  const [source, out, groups, vectors, sourceStride, outStride] = [0, 1, 2, 3, 4, 5]
  const [from, left] = [6, 7]
  const row = (i: number) => 8 + i
  const v = (i: number) => 12 + i
  const half = (i: number) => 16 + i
  const tile: number[] = [...get(from), ...load(0), ...set(v(0))]
  for (let i = 1; i < 4; i++) {
    tile.push(...get(from), ...get(sourceStride), ...add)
    if (i > 1) tile.push(...get(sourceStride), ...add)
    if (i > 2) tile.push(...get(sourceStride), ...add)
    tile.push(...load(0), ...set(v(i)))
  }
  // Halves interleave two rows' pairs of columns; each output row is then two halves' matching pairs.
  for (const [h, first, lanes] of [
    [0, 0, [0, 4, 1, 5]],
    [1, 0, [2, 6, 3, 7]],
    [2, 2, [0, 4, 1, 5]],
    [3, 2, [2, 6, 3, 7]],
  ] as const)
    tile.push(...get(v(first)), ...get(v(first + 1)), ...floatShuffle([...lanes]), ...set(half(h)))
  for (const [c, first, lanes] of [
    [0, 0, [0, 1, 4, 5]],
    [1, 0, [2, 3, 6, 7]],
    [2, 1, [0, 1, 4, 5]],
    [3, 1, [2, 3, 6, 7]],
  ] as const)
    tile.push(
      ...get(row(c)),
      ...get(half(first)),
      ...get(half(first + 2)),
      ...floatShuffle([...lanes]),
      ...store(0),
      ...advance(row(c), 16),
    )
  // The next row group: 4 source rows on.
  tile.push(...get(from), ...get(sourceStride), ...get(sourceStride), ...add, ...get(sourceStride), ...add)
  tile.push(...get(sourceStride), ...add, ...add, ...set(from))
  const column: number[] = [...get(source), ...set(from), ...get(groups), ...set(left)]
  // The 4 output rows of this tile column.
  column.push(...get(out), ...set(row(0)))
  for (let c = 1; c < 4; c++) column.push(...get(row(c - 1)), ...get(outStride), ...add, ...set(row(c)))
  column.push(...countDown(left, tile))
  column.push(...advance(source, 16))
  column.push(...get(out), ...get(outStride), ...get(outStride), ...add, ...get(outStride), ...add)
  column.push(...get(outStride), ...add, ...add, ...set(out))
  return functionBody(
    [
      [6, i32],
      [8, v128],
    ],
    countDown(vectors, column),
  )
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function matrixTransposeModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes(shared, [
    { name: 'transposeTiles', params: [i32, i32, i32, i32, i32, i32], body: transposeTilesBody() },
  ])
}
