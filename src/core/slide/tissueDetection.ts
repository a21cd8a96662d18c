import sharp from 'sharp'
import { otsuThreshold } from './otsuThreshold'
import { levelForDownsample, type SlideReader } from './slideReader'

/**
 * Glass or tissue, decided on a low-resolution picture of the slide (its longest side at most
 * TISSUE_MAX_SIDE pixels, read from the nearest stored level chunk by chunk, never a big level whole), as
 * QuPath's tissue detection and most WSI pipelines do.
 *
 * The threshold is Otsu's on HSV saturation, not on grey, as CLAM (Lu et al. 2021) and most H&E pipelines
 * threshold: glass is unsaturated however bright or grey the scanner's illumination makes it, while
 * stained tissue is pink to purple. A grey threshold would also take the black outside the scanned area
 * of NDPI/MRXS slides, dark dust and shadows for tissue; saturation leaves them out (pen ink, which is
 * saturated, is not). Otsu splits whatever it is given, so on a slide of bare glass it would find
 * "tissue" in the noise: the threshold is never below MIN_TISSUE_SATURATION.
 */

export const TISSUE_MAX_SIDE = 1024
/** 20/255 ≈ 8 % saturation: above glass's noise, below the palest eosin. */
export const MIN_TISSUE_SATURATION = 20

/** HSV saturation of 8-bit RGB, in 0–255: ⌊(max − min)·255 / max⌋, 0 for black. */
export function saturation(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3)
  for (let i = 0; i < out.length; i++) {
    const r = rgb[3 * i]
    const g = rgb[3 * i + 1]
    const b = rgb[3 * i + 2]
    const max = Math.max(r, g, b)
    out[i] = max === 0 ? 0 : Math.floor(((max - Math.min(r, g, b)) * 255) / max)
  }
  return out
}

export interface TissueMask {
  width: number
  height: number
  /** Level-0 pixels per mask pixel. */
  downsample: number
  /** Saturations above this are tissue. */
  threshold: number
  /** 1 where tissue, 0 where glass, row-major. */
  data: Uint8Array
}

/** The slide at `downsample` level-0 pixels per pixel, read from the nearest stored level in chunks. */
async function lowResolution(
  slide: SlideReader,
  downsample: number,
): Promise<{ width: number; height: number; rgb: Uint8Array }> {
  const width = Math.max(1, Math.round(slide.width / downsample))
  const height = Math.max(1, Math.round(slide.height / downsample))
  const level = levelForDownsample(slide.levels, downsample)
  const lv = slide.levels[level]
  const rgb = new Uint8Array(width * height * 3)
  const CHUNK = 2048 // level pixels per side read at once: 12 MB of RGB
  for (let cy = 0; cy < lv.height; cy += CHUNK)
    for (let cx = 0; cx < lv.width; cx += CHUNK) {
      const cw = Math.min(CHUNK, lv.width - cx)
      const ch = Math.min(CHUNK, lv.height - cy)
      const scale = lv.downsample / downsample
      const x0 = Math.round(cx * scale)
      const y0 = Math.round(cy * scale)
      const x1 = Math.min(width, Math.round((cx + cw) * scale))
      const y1 = Math.min(height, Math.round((cy + ch) * scale))
      if (x1 <= x0 || y1 <= y0) continue
      const region = await slide.readRegion(level, cx, cy, cw, ch)
      const small = await sharp(region.data, {
        raw: { width: region.width, height: region.height, channels: 3 },
      })
        .resize(x1 - x0, y1 - y0, { fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer()
      for (let r = 0; r < y1 - y0; r++)
        rgb.set(small.subarray(r * (x1 - x0) * 3, (r + 1) * (x1 - x0) * 3), ((y0 + r) * width + x0) * 3)
    }
  return { width, height, rgb }
}

export async function detectTissue(slide: SlideReader): Promise<TissueMask> {
  const downsample = Math.max(1, Math.max(slide.width, slide.height) / TISSUE_MAX_SIDE)
  const { width, height, rgb } = await lowResolution(slide, downsample)
  const s = saturation(rgb)
  const histogram = new Float64Array(256)
  for (const v of s) histogram[v]++
  const threshold = Math.max(MIN_TISSUE_SATURATION, otsuThreshold(histogram))
  return { width, height, downsample, threshold, data: s.map((v) => (v > threshold ? 1 : 0)) }
}
