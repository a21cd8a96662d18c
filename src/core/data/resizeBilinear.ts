import type { RawImage } from './rawImage'

/**
 * Bilinear resize with half-pixel centres and no antialiasing, i.e. PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False)` and tfjs `resizeBilinear(…, false, true)`:
 * source coordinate = (dst + 0.5) · in/out − 0.5, clamped to the edge. Works on any channel count.
 * Used in the training pipeline (480 → 224); output samples are rounded to 8 bits.
 */
export function resizeBilinear(img: RawImage, outWidth: number, outHeight: number): RawImage {
  const { width: w, height: h, channels: c, data } = img
  if (!(outWidth > 0 && outHeight > 0))
    throw new Error(`resizeBilinear needs a positive size, got ${outWidth} × ${outHeight}`)
  const out = new Uint8Array(outWidth * outHeight * c)
  const sx = w / outWidth
  const sy = h / outHeight
  const x0s = new Int32Array(outWidth)
  const x1s = new Int32Array(outWidth)
  const fxs = new Float64Array(outWidth)
  for (let x = 0; x < outWidth; x++) {
    const src = Math.max(0, (x + 0.5) * sx - 0.5)
    const x0 = Math.min(Math.floor(src), w - 1)
    x0s[x] = x0
    x1s[x] = Math.min(x0 + 1, w - 1)
    fxs[x] = src - x0
  }
  for (let y = 0; y < outHeight; y++) {
    const src = Math.max(0, (y + 0.5) * sy - 0.5)
    const y0 = Math.min(Math.floor(src), h - 1)
    const y1 = Math.min(y0 + 1, h - 1)
    const fy = src - y0
    for (let x = 0; x < outWidth; x++) {
      const fx = fxs[x]
      const a = (y0 * w + x0s[x]) * c
      const b = (y0 * w + x1s[x]) * c
      const d = (y1 * w + x0s[x]) * c
      const e = (y1 * w + x1s[x]) * c
      const o = (y * outWidth + x) * c
      for (let k = 0; k < c; k++) {
        const top = data[a + k] + (data[b + k] - data[a + k]) * fx
        const bottom = data[d + k] + (data[e + k] - data[d + k]) * fx
        out[o + k] = Math.round(top + (bottom - top) * fy)
      }
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels: c }
}
