/** A colour as red, green, blue in [0, 1]. */
export type Rgb = readonly [number, number, number]

/** A float RGB canvas the painters blend into; encoded to 8-bit only at the end. */
export interface RgbImage {
  width: number
  height: number
  /** Interleaved RGB, row-major, values in [0, 1]. */
  data: Float32Array
}

export function createRgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Float32Array(width * height * 3) }
}

export function hexRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) throw new Error(`Not a #rrggbb colour: ${hex}`)
  const n = parseInt(m[1], 16)
  return [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255]
}

export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/** Paints colour `c` over pixel `i` with opacity `alpha`. */
export function blendPixel(img: RgbImage, i: number, c: Rgb, alpha: number): void {
  const d = img.data
  const k = i * 3
  d[k] += (c[0] - d[k]) * alpha
  d[k + 1] += (c[1] - d[k + 1]) * alpha
  d[k + 2] += (c[2] - d[k + 2]) * alpha
}

/** 8-bit RGB; a clamped array rounds and clamps in the store itself, far faster than doing it by hand. */
export function rgbBytes(img: RgbImage): Uint8Array {
  const out = new Uint8ClampedArray(img.data.length)
  const d = img.data
  for (let k = 0; k < out.length; k++) out[k] = d[k] * 255
  return new Uint8Array(out.buffer)
}
