import type { RawImage } from './rawImage'

/**
 * Turns a decoded mask into one channel of class indices (0 background, 1.. class).
 * Binary masks as datasets ship them (0/255, e.g. ISIC and Dermofit) become 0/1; masks that already hold
 * class indices (0..maxClass) are kept. Anything else is refused, because a resampled or JPEG-compressed
 * mask has grey edge values whose class nobody can know. Grey masks saved as RGB(A) are accepted when
 * all colour channels agree; alpha is ignored.
 */
export function maskToClassIndices(
  raw: RawImage,
  maxClass: number,
): { mask: RawImage } | { problem: string } {
  const { width, height, channels, data } = raw
  const colour = channels >= 3 ? 3 : 1
  const out = new Uint8Array(width * height)
  // A 256-bin histogram instead of a Set: masks have millions of pixels.
  const counts = new Uint32Array(256)
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const v = data[p]
    if (colour === 3 && (data[p + 1] !== v || data[p + 2] !== v)) {
      return {
        problem: `mask is in colour at pixel (${i % width}, ${Math.floor(i / width)}); expected grey class indices or 0/255`,
      }
    }
    out[i] = v
    counts[v]++
  }
  const values: number[] = []
  counts.forEach((n, v) => n > 0 && values.push(v))
  const binary255 = values.every((v) => v === 0 || v === 255)
  if (binary255 && counts[255] > 0) {
    for (let i = 0; i < out.length; i++) out[i] = out[i] === 255 ? 1 : 0
    return { mask: { data: out, width, height, channels: 1 } }
  }
  const bad = values.filter((v) => v > maxClass)
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).join(', ') + (bad.length > 5 ? ', …' : '')
    return {
      problem: `mask values must be 0/255 or class indices 0..${maxClass}; found ${shown}`,
    }
  }
  return { mask: { data: out, width, height, channels: 1 } }
}
