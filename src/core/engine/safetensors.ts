import type { TrainState } from './trainState'

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range (plus free-form string metadata), then the raw
 * little-endian data. Readable by PyTorch (`safetensors.torch.load_file`), so a model trained here can
 * leave the app. Float32 only: that is what our weights are.
 */

interface HeaderEntry {
  dtype: string
  shape: number[]
  data_offsets: [number, number]
}

export function encodeSafetensors(tensors: TrainState, metadata: Record<string, string> = {}): Buffer {
  const names = Object.keys(tensors).sort()
  const header: Record<string, HeaderEntry | Record<string, string>> = {}
  if (Object.keys(metadata).length) header.__metadata__ = metadata
  let offset = 0
  for (const name of names) {
    const t = tensors[name]
    const size = t.shape.reduce((a, d) => a * d, 1)
    if (size !== t.values.length)
      throw new Error(`Tensor ${name} has shape [${t.shape}] but ${t.values.length} values`)
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + size * 4] }
    offset += size * 4
  }
  let json = JSON.stringify(header)
  // The data starts 8-byte aligned: the header is padded with spaces, as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)
  const head = Buffer.from(json, 'utf8')
  const out = Buffer.alloc(8 + head.length + offset)
  out.writeBigUInt64LE(BigInt(head.length), 0)
  head.copy(out, 8)
  let at = 8 + head.length
  for (const name of names) {
    const v = tensors[name].values
    for (let i = 0; i < v.length; i++, at += 4) out.writeFloatLE(v[i], at)
  }
  return out
}

export function decodeSafetensors(
  data: Buffer,
  label = 'safetensors file',
): {
  tensors: TrainState
  metadata: Record<string, string>
} {
  if (data.length < 8) throw new Error(`${label} is too short to be a safetensors file`)
  const headerLength = Number(data.readBigUInt64LE(0))
  if (headerLength > data.length - 8 || headerLength > 100 << 20)
    throw new Error(`${label}: its header length (${headerLength} bytes) does not fit the file`)
  let header: Record<string, HeaderEntry | Record<string, string>>
  try {
    header = JSON.parse(data.subarray(8, 8 + headerLength).toString('utf8'))
  } catch {
    throw new Error(`${label}: its header is not JSON`)
  }
  const base = 8 + headerLength
  const tensors: TrainState = {}
  let metadata: Record<string, string> = {}
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>
      continue
    }
    const e = entry as HeaderEntry
    if (e.dtype !== 'F32')
      throw new Error(`${label}: tensor ${name} is ${e.dtype}; only F32 weights are read`)
    const [from, to] = e.data_offsets
    const size = e.shape.reduce((a, d) => a * d, 1)
    if (to - from !== size * 4 || base + to > data.length)
      throw new Error(`${label}: tensor ${name}'s bytes do not match its shape [${e.shape}]`)
    const values = new Float32Array(size)
    for (let i = 0; i < size; i++) values[i] = data.readFloatLE(base + from + i * 4)
    tensors[name] = { shape: e.shape, values }
  }
  return { tensors, metadata }
}
