import type { TrainState } from './trainState'

const MAGIC = 'S4MICKPT1'

/**
 * A training state as one blob: a JSON header (names, shapes, offsets, epoch) and the raw float32 values.
 * Little-endian, 4-byte aligned, so it loads without copying value by value.
 */
export function encodeCheckpoint(epoch: number, state: TrainState): Buffer {
  const entries: { name: string; shape: number[]; offset: number; length: number }[] = []
  let offset = 0
  for (const [name, t] of Object.entries(state)) {
    const expected = t.shape.reduce((a, b) => a * b, 1)
    if (expected !== t.values.length) {
      throw new Error(`Checkpoint tensor ${name} has ${t.values.length} values for shape [${t.shape}]`)
    }
    entries.push({ name, shape: t.shape, offset, length: t.values.length })
    offset += t.values.length * 4
  }
  let header = Buffer.from(JSON.stringify({ magic: MAGIC, epoch, entries }), 'utf8')
  const pad = (4 - ((8 + header.length) % 4)) % 4
  header = Buffer.concat([header, Buffer.alloc(pad, 0x20)])
  const out = Buffer.alloc(8 + header.length + offset)
  out.writeBigUInt64LE(BigInt(header.length), 0)
  header.copy(out, 8)
  const base = 8 + header.length
  for (const e of entries) {
    const v = state[e.name].values
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(out, base + e.offset)
  }
  return out
}

export function decodeCheckpoint(data: Buffer): { epoch: number; state: TrainState } {
  if (data.length < 8) throw new Error('Checkpoint is truncated (no header)')
  const headerLength = Number(data.readBigUInt64LE(0))
  if (8 + headerLength > data.length) throw new Error('Checkpoint is truncated (header runs past the end)')
  const header = JSON.parse(data.subarray(8, 8 + headerLength).toString('utf8')) as {
    magic: string
    epoch: number
    entries: { name: string; shape: number[]; offset: number; length: number }[]
  }
  if (header.magic !== MAGIC) throw new Error('Not an S4MI checkpoint')
  const base = 8 + headerLength
  const state: TrainState = {}
  for (const e of header.entries) {
    const start = base + e.offset
    if (start + e.length * 4 > data.length) throw new Error(`Checkpoint is truncated inside tensor ${e.name}`)
    const copy = new Float32Array(e.length)
    Buffer.from(copy.buffer).set(data.subarray(start, start + e.length * 4))
    state[e.name] = { shape: e.shape, values: copy }
  }
  return { epoch: header.epoch, state }
}
