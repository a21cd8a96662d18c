import zlib from 'node:zlib'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** Samples per pixel of each PNG colour type (grey, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** Chunks of bytes end to end: the IDAT chunks' data, or a file's chunks. */
function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0)
  return out
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/**
 * The first channel of an 8-bit, non-interlaced PNG (palette indices mapped to their red value): a stored
 * mask's class indices. Synchronous (node:zlib), because the store's migrations run inside one SQLite
 * transaction where sharp's asynchronous decoding cannot. Throws on anything else, so a caller can fall
 * back to a safe answer.
 */
export function maskPngPixels(png: Uint8Array): { width: number; height: number; data: Uint8Array } {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error('not a PNG')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let width = 0
  let height = 0
  let channels = 0
  const idat: Uint8Array[] = []
  let palette: Uint8Array | null = null
  for (let at = 8; at + 8 <= png.length;) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const data = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = view.getUint32(at + 8)
      height = view.getUint32(at + 12)
      const depth = data[8]
      const colourType = data[9]
      if (depth !== 8) throw new Error(`bit depth ${depth}`)
      if (data[12] !== 0) throw new Error('interlaced')
      channels = CHANNELS[colourType] ?? 0
      if (!channels) throw new Error(`colour type ${colourType}`)
    } else if (type === 'PLTE') palette = data
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    at += 12 + length
  }
  if (!width || !height) throw new Error('no image header')
  const raw = zlib.inflateSync(concatBytes(idat))
  const stride = width * channels
  if (raw.length < height * (stride + 1)) throw new Error('truncated image data')
  let prev = new Uint8Array(stride)
  let row = new Uint8Array(stride)
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const base = y * (stride + 1)
    const filter = raw[base]
    for (let i = 0; i < stride; i++) {
      const x = raw[base + 1 + i]
      const a = i >= channels ? row[i - channels] : 0
      const b = prev[i]
      const c = i >= channels ? prev[i - channels] : 0
      row[i] =
        filter === 0
          ? x
          : filter === 1
            ? x + a
            : filter === 2
              ? x + b
              : filter === 3
                ? x + ((a + b) >> 1)
                : x + paeth(a, b, c)
    }
    if (filter > 4) throw new Error(`row filter ${filter}`)
    for (let i = 0, x = y * width; i < stride; i += channels, x++)
      out[x] = palette ? palette[row[i] * 3] : row[i]
    ;[prev, row] = [row, prev]
  }
  return { width, height, data: out }
}

/** The distinct values of a mask PNG (see maskPngPixels): which class indices it holds. */
export function maskPngValues(png: Uint8Array): Set<number> {
  const seen = new Uint8Array(256)
  for (const v of maskPngPixels(png).data) seen[v] = 1
  const out = new Set<number>()
  seen.forEach((s, v) => s && out.add(v))
  return out
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  let c = 0xffffffff
  for (let i = 4; i < 8 + data.length; i++) c = CRC_TABLE[(c ^ out[i]) & 255] ^ (c >>> 8)
  view.setUint32(8 + data.length, (c ^ 0xffffffff) >>> 0)
  return out
}

/**
 * A 1-channel 8-bit PNG of width × height values (row filter none), synchronously; sharp reads it back.
 * Every mask PNG the app writes comes from here (maskRaster.encodeMaskPng), a saved stroke's tiles too:
 * node's zlib deflates a 1,024² tile in about 0.5 ms, against 4 ms through sharp and 10 ms through fflate,
 * and on a two-core laptop a save's CPU is taken from the brush's frames.
 */
export function encodeMaskPngSync(width: number, height: number, data: Uint8Array): Uint8Array {
  if (data.length !== width * height) throw new Error(`${data.length} values for a ${width}×${height} mask`)
  const raw = new Uint8Array(height * (width + 1))
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width, (y + 1) * width), y * (width + 1) + 1)
  const header = new Uint8Array(13)
  const hv = new DataView(header.buffer)
  hv.setUint32(0, width)
  hv.setUint32(4, height)
  header.set([8, 0, 0, 0, 0], 8) // depth 8, grey, deflate, filter method 0, not interlaced
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 3 })),
    chunk('IEND', new Uint8Array(0)),
  ]
  return concatBytes(parts)
}
