import sharp from 'sharp'
import { flatImageInput } from '../data/flatImageLimit'
import type { SlideProperties } from '../slide/slideProperties'
import type { RegionPixels, SlideReader } from '../slide/slideReader'

/** Longest side of a flat image's quick preview, in pixels: the overview levels come from it. */
const PREVIEW_SIDE = 2048

/** The downsample (a power of two) that brings a width × height image within PREVIEW_SIDE. */
export function previewDownsample(width: number, height: number): number {
  let d = 1
  while (Math.max(width, height) / d > PREVIEW_SIDE) d *= 2
  return d
}

/**
 * A flat image (PNG, JPEG, single-level TIFF) shrunk at once to its viewer level at `previewDownsample`, kept
 * in memory and read like a one-level slide, so the coarse levels show while the full pyramid is built in
 * the background. JPEG decodes at 1/8 scale (libjpeg's shrink-on-load), which is what makes it quick; PNG
 * and TIFF strips must still be read whole. The level's size matches viewerLevels' (⌈side / downsample⌉).
 */
export async function flatPreview(
  file: string,
  width: number,
  height: number,
  properties: SlideProperties,
): Promise<SlideReader> {
  const d = previewDownsample(width, height)
  const w = Math.ceil(width / d)
  const h = Math.ceil(height / d)
  let img = sharp(file, flatImageInput).toColourspace('srgb')
  if ((await sharp(file, flatImageInput).metadata()).hasAlpha) img = img.flatten({ background: '#ffffff' })
  const { data } = await img
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length)
  return {
    file,
    backend: 'libvips',
    formatName: 'preview',
    format: 'preview',
    width,
    height,
    levels: [{ width: w, height: h, downsample: d }],
    properties,
    async readRegion(level, x, y, rw, rh): Promise<RegionPixels> {
      if (level !== 0) throw new Error(`A preview has one level, not ${level}`)
      const out = new Uint8Array(rw * rh * 3).fill(255) // outside the image: white, as empty glass
      for (let r = Math.max(0, -y); r < rh && y + r < h; r++) {
        const x0 = Math.max(0, x)
        const x1 = Math.min(w, x + rw)
        if (x1 <= x0) continue
        out.set(pixels.subarray(((y + r) * w + x0) * 3, ((y + r) * w + x1) * 3), (r * rw + (x0 - x)) * 3)
      }
      return { data: out, width: rw, height: rh, channels: 3 }
    },
    async close() {},
  }
}
