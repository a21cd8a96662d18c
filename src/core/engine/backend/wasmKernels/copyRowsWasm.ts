// A strided block copy as one WebAssembly pass, for Transpose (transpose.ts): `rows` rows of `vectors` groups of
// 4 values (any 4-byte type, copied as bits), read `stride` bytes apart and written one after another. A ViT's
// or Swin's head split ([windows, tokens, 3, heads, 32] → [3, windows, heads, tokens, 32]) copies runs of 32
// floats; in JavaScript that took 2.6 ms for a Swin stage-1 block's 903 K floats, 0.8 s of a Swin-UNet paper step.
// Exports copyRows(source, out, rows, vectors, stride): pointers are byte offsets in the heap; rows and vectors
// ≥ 1.
import { add, advance, countDown, functionBody, get, i32, load, moduleBytes, set, store } from './wasmEmitter'

function copyRowsBody(): number[] {
  const [source, out, rows, vectors, stride] = [0, 1, 2, 3, 4]
  const [at, left] = [5, 6]
  const code = countDown(rows, [
    ...[...get(source), ...set(at), ...get(vectors), ...set(left)],
    ...countDown(left, [
      ...get(out),
      ...get(at),
      ...load(0),
      ...store(0),
      ...advance(at, 16),
      ...advance(out, 16),
    ]),
    ...[...get(source), ...get(stride), ...add, ...set(source)],
  ])
  return functionBody([[2, i32]], code)
}

/** The module's bytes; `shared`: it imports the threaded wasm build's shared heap. */
export function copyRowsModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes(shared, [{ name: 'copyRows', params: [i32, i32, i32, i32, i32], body: copyRowsBody() }])
}
