import type { RawImage } from './rawImage'
import { resizeBilinear } from './resizeBilinear'

/** Model input side: Swin-UNet's patch layout needs 224 × 224 (paper section 3.3). */
export const MODEL_INPUT_SIZE = 224

/** Rotates by k quarter turns counter-clockwise as displayed (numpy's rot90 on H × W × C). */
export function rot90(img: RawImage, k: number): RawImage {
  const turns = ((k % 4) + 4) % 4
  let cur = img
  for (let t = 0; t < turns; t++) {
    const { width: w, height: h, channels: c, data } = cur
    const out = new Uint8Array(data.length)
    // New size h × w; output (x, y) comes from source (w − 1 − y, x).
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < h; x++) {
        const s = (x * w + (w - 1 - y)) * c
        out.set(data.subarray(s, s + c), (y * h + x) * c)
      }
    }
    cur = { data: out, width: h, height: w, channels: c }
  }
  return turns === 0 ? { ...img, data: new Uint8Array(img.data) } : cur
}

/** Mirrors left-right (axis 'x') or top-bottom (axis 'y'). */
export function flip(img: RawImage, axis: 'x' | 'y'): RawImage {
  const { width: w, height: h, channels: c, data } = img
  const out = new Uint8Array(data.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = axis === 'x' ? (y * w + (w - 1 - x)) * c : ((h - 1 - y) * w + x) * c
      out.set(data.subarray(s, s + c), (y * w + x) * c)
    }
  }
  return { ...img, data: out }
}

/**
 * Rotates by `degrees` counter-clockwise (as displayed) about the image centre, keeping the size; pixels
 * that come from outside are `fill`. Bilinear for images, nearest for masks (class indices never blend).
 */
export function rotate(
  img: RawImage,
  degrees: number,
  interpolation: 'bilinear' | 'nearest',
  fill = 0,
): RawImage {
  const { width: w, height: h, channels: c, data } = img
  const out = new Uint8Array(data.length)
  const t = (degrees * Math.PI) / 180
  const cos = Math.cos(t)
  const sin = Math.sin(t)
  const cx = (w - 1) / 2
  const cy = (h - 1) / 2
  const at = (x: number, y: number, k: number) =>
    x < 0 || y < 0 || x >= w || y >= h ? fill : data[(y * w + x) * c + k]
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx
      const dy = y - cy
      // Inverse mapping: where in the source does this output pixel come from?
      const sx = cx + dx * cos - dy * sin
      const sy = cy + dx * sin + dy * cos
      const o = (y * w + x) * c
      if (interpolation === 'nearest') {
        const nx = Math.round(sx)
        const ny = Math.round(sy)
        for (let k = 0; k < c; k++) out[o + k] = at(nx, ny, k)
      } else {
        const x0 = Math.floor(sx)
        const y0 = Math.floor(sy)
        const fx = sx - x0
        const fy = sy - y0
        for (let k = 0; k < c; k++) {
          const top = at(x0, y0, k) * (1 - fx) + at(x0 + 1, y0, k) * fx
          const bottom = at(x0, y0 + 1, k) * (1 - fx) + at(x0 + 1, y0 + 1, k) * fx
          out[o + k] = Math.round(top * (1 - fy) + bottom * fy)
        }
      }
    }
  }
  return { ...img, data: out }
}

/** Nearest-neighbour resize (for masks), sampling at pixel centres. */
export function resizeNearest(img: RawImage, outWidth: number, outHeight: number): RawImage {
  const { width: w, height: h, channels: c, data } = img
  const out = new Uint8Array(outWidth * outHeight * c)
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outHeight))
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / outWidth))
      const s = (sy * w + sx) * c
      out.set(data.subarray(s, s + c), (y * outWidth + x) * c)
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels: c }
}

export interface AugmentOptions {
  /** Output side (224 for the paper's models). */
  size?: number
  /** Largest angle of the free rotation, in degrees (SSL4MIS uses ±20). */
  maxDegrees?: number
}

/**
 * The paper's training augmentation — random rotation, random flip, resize to 224 — as SSL4MIS's
 * RandomGenerator applies it: with p 0.5 a random quarter-turn rotation plus a flip along a random axis;
 * otherwise with p 0.5 a free rotation in [−maxDegrees, maxDegrees); then a resize to `size`. The image is
 * interpolated bilinearly (SSL4MIS uses nearest for its rotation and cubic for its zoom; the paper says
 * bilinear), the mask (if any) by nearest neighbour, with the same geometry.
 */
export function trainingAugmentation(
  image: RawImage,
  mask: RawImage | null,
  random: () => number,
  options: AugmentOptions = {},
): { image: RawImage; mask: RawImage | null } {
  const size = options.size ?? MODEL_INPUT_SIZE
  const maxDegrees = options.maxDegrees ?? 20
  if (mask && (mask.width !== image.width || mask.height !== image.height)) {
    throw new Error(
      `Mask is ${mask.width} × ${mask.height} but its image is ${image.width} × ${image.height}`,
    )
  }
  let img = image
  let msk = mask
  // Draws happen in SSL4MIS's order: the second coin is only tossed when the first one says no.
  const branch = random() > 0.5 ? 'quarterTurnFlip' : random() > 0.5 ? 'freeRotation' : 'none'
  if (branch === 'quarterTurnFlip') {
    const k = Math.floor(random() * 4)
    const axis = random() < 0.5 ? 'y' : 'x'
    img = flip(rot90(img, k), axis)
    msk = msk && flip(rot90(msk, k), axis)
  } else if (branch === 'freeRotation') {
    const degrees = Math.floor(-maxDegrees + random() * 2 * maxDegrees)
    img = rotate(img, degrees, 'bilinear')
    msk = msk && rotate(msk, degrees, 'nearest')
  }
  if (img.width !== size || img.height !== size) {
    img = resizeBilinear(img, size, size)
    msk = msk && resizeNearest(msk, size, size)
  }
  return { image: img, mask: msk }
}
