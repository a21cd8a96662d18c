/**
 * The safetensors format (huggingface/safetensors): 8-byte little-endian header length, a JSON
 * header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {k: v}}`, then the raw
 * little-endian data. It is how timm/torchvision ImageNet weights are shared today. We read
 * float and integer dtypes (decoded to float32 on demand) and write float32.
 */

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL'

const dtypeBytes: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
}

/** Largest header we accept; real headers are kilobytes, a huge value means a corrupt or foreign file. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024

export interface SafetensorsEntry {
  name: string
  dtype: SafetensorsDtype
  shape: number[]
  /** The values as float32 (a fresh copy, decoded from the stored dtype). */
  toFloat32(): Float32Array
}

export interface SafetensorsFile {
  /** Where the bytes came from, for error messages. */
  source: string
  /** The bytes it was parsed from, stored dtypes unconverted (what a run's host hands a trainer apart). */
  bytes?: Uint8Array
  metadata: Record<string, string>
  tensors: Map<string, SafetensorsEntry>
}

export class SafetensorsError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: not a valid safetensors file: ${problem}`)
    this.name = 'SafetensorsError'
  }
}

export function parseSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const fail = (problem: string): never => {
    throw new SafetensorsError(source, problem)
  }
  if (bytes.length < 8) fail(`${bytes.length} bytes is shorter than the 8-byte header length`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = Number(view.getBigUint64(0, true))
  // The length is the file's first 8 bytes: never quote it, or a probe of any file would read them back.
  if (headerLength > MAX_HEADER_BYTES) fail('its first 8 bytes are not a plausible header length')
  if (8 + headerLength > bytes.length) fail('the header length runs past the end of the file')
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)))
  } catch {
    // JSON.parse's message quotes the text it choked on: say where, not what.
    fail('the header is not UTF-8 JSON')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object')
  const dataStart = 8 + headerLength
  const dataLength = bytes.length - dataStart

  const metadata: Record<string, string> = {}
  const tensors = new Map<string, SafetensorsEntry>()
  const spans: [number, number, string][] = []
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) fail('__metadata__ is not an object')
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`)
        metadata[k] = v as string
      }
      continue
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown }
    if (typeof entry !== 'object' || entry === null) fail(`tensor '${name}' is not an object`)
    const dtype = entry.dtype as SafetensorsDtype
    if (typeof dtype !== 'string' || !(dtype in dtypeBytes))
      fail(`tensor '${name}' has unsupported dtype ${String(entry.dtype)}`)
    const shape = entry.shape
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`)
    }
    const offsets = entry.data_offsets
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`)
    }
    const [begin, end] = offsets as [number, number]
    const count = (shape as number[]).reduce((a, b) => a * b, 1)
    if (end < begin || end - begin !== count * dtypeBytes[dtype]) {
      fail(
        `tensor '${name}' (${dtype} [${shape}]) needs ${count * dtypeBytes[dtype]} bytes, data_offsets span ${end - begin}`,
      )
    }
    if (end > dataLength)
      fail(`tensor '${name}' data ends at ${end}, past the ${dataLength} data bytes (truncated file?)`)
    spans.push([begin, end, name])
    const at = dataStart + begin
    tensors.set(name, {
      name,
      dtype,
      shape: shape as number[],
      toFloat32: () => decodeToFloat32(bytes, at, count, dtype),
    })
  }
  spans.sort((a, b) => a[0] - b[0])
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) fail(`tensors '${spans[i - 1][2]}' and '${spans[i][2]}' overlap`)
  }
  return { source, bytes, metadata, tensors }
}

function decodeToFloat32(
  bytes: Uint8Array,
  at: number,
  count: number,
  dtype: SafetensorsDtype,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, count * dtypeBytes[dtype])
  const out = new Float32Array(count)
  switch (dtype) {
    case 'F32':
      // A copied slice starts on a fresh, aligned buffer, so it can be viewed directly (little-endian hosts).
      return new Float32Array(Uint8Array.prototype.slice.call(bytes, at, at + count * 4).buffer)
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true)
      break
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true))
      break
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const word = new DataView(new ArrayBuffer(4))
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(i * 2, true) << 16, true)
        out[i] = word.getFloat32(0, true)
      }
      break
    }
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true))
      break
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true)
      break
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true)
      break
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i)
      break
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i)
      break
  }
  return out
}

/** IEEE 754 half precision → number (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
}

export interface Float32Tensor {
  shape: number[]
  data: Float32Array
}

/** Serialise float32 tensors (names sorted, header padded to 8 bytes like the reference writer). */
export function encodeSafetensors(
  tensors: Map<string, Float32Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort()
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length) header.__metadata__ = metadata
  let offset = 0
  for (const name of names) {
    const t = tensors.get(name)!
    const count = t.shape.reduce((a, b) => a * b, 1)
    if (count !== t.data.length) {
      throw new Error(
        `tensor '${name}': shape [${t.shape}] holds ${count} values but data has ${t.data.length}`,
      )
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + count * 4] }
    offset += count * 4
  }
  let json = JSON.stringify(header)
  const headerBytes = new TextEncoder().encode(json)
  const padded = Math.ceil(headerBytes.length / 8) * 8
  json += ' '.repeat(padded - headerBytes.length)
  const out = new Uint8Array(8 + padded + offset)
  const view = new DataView(out.buffer)
  view.setBigUint64(0, BigInt(padded), true)
  out.set(new TextEncoder().encode(json), 8)
  let at = 8 + padded
  for (const name of names) {
    const data = tensors.get(name)!.data
    for (let i = 0; i < data.length; i++) view.setFloat32(at + i * 4, data[i], true)
    at += data.length * 4
  }
  return out
}
