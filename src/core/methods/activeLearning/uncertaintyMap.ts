import type { InputPlace } from '../segmentation/predictionBatches'

/** The longest side of a stored uncertainty map: enough for a heatmap over the viewer, small on disk. */
export const UNCERTAINTY_MAP_SIDE = 512

/**
 * One image's uncertainty, gathered input by input as the image is predicted (whole, or tile by tile):
 * its score is the mean over the model pixels inside the image (a tile's padding beyond the edge is left
 * out; overlapping tiles count once each), and a small map of where the doubt lies is painted at
 * ≤ UNCERTAINTY_MAP_SIDE pixels, overlaps averaged. A slide is never held at full size.
 */
export class UncertaintyMap {
  readonly width: number
  readonly height: number
  private readonly scale: number
  private readonly sum: Float32Array
  private readonly weight: Uint16Array
  private total = 0
  private count = 0

  constructor(imageWidth: number, imageHeight: number) {
    this.scale = Math.min(1, UNCERTAINTY_MAP_SIDE / Math.max(imageWidth, imageHeight))
    this.width = Math.max(1, Math.round(imageWidth * this.scale))
    this.height = Math.max(1, Math.round(imageHeight * this.scale))
    this.sum = new Float32Array(this.width * this.height)
    this.weight = new Uint16Array(this.width * this.height)
  }

  /** Adds one input's per-pixel values (size × size, row-major, the model's input) at its place. */
  add(values: ArrayLike<number>, size: number, place: InputPlace): void {
    if (values.length !== size * size)
      throw new Error(`An uncertainty map of ${values.length} values is not ${size} × ${size}`)
    // The model pixels that fall inside the image.
    const rows = Math.max(1, Math.round((size * place.height) / place.span.height))
    const cols = Math.max(1, Math.round((size * place.width) / place.span.width))
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        this.total += values[r * size + c]
        this.count++
      }
    // The map pixels the input covers, each read from its nearest model pixel.
    const x0 = Math.floor(place.x * this.scale)
    const y0 = Math.floor(place.y * this.scale)
    const x1 = Math.min(this.width, Math.ceil((place.x + place.width) * this.scale))
    const y1 = Math.min(this.height, Math.ceil((place.y + place.height) * this.scale))
    for (let my = y0; my < y1; my++) {
      const r = Math.min(
        size - 1,
        Math.floor((((my + 0.5) / this.scale - place.y) / place.span.height) * size),
      )
      for (let mx = x0; mx < x1; mx++) {
        const c = Math.min(
          size - 1,
          Math.floor((((mx + 0.5) / this.scale - place.x) / place.span.width) * size),
        )
        const at = my * this.width + mx
        this.sum[at] += values[Math.max(0, r) * size + Math.max(0, c)]
        this.weight[at]++
      }
    }
  }

  /** The image's score: the mean over its model pixels; NaN before anything was added. */
  score(): number {
    return this.count ? this.total / this.count : NaN
  }

  /** The map as 8-bit grey, `most` (the measure's largest possible value) at 255. */
  grey(most: number): Uint8Array {
    const out = new Uint8Array(this.width * this.height)
    for (let i = 0; i < out.length; i++) {
      if (!this.weight[i]) continue
      out[i] = Math.round(Math.min(1, Math.max(0, this.sum[i] / this.weight[i] / most)) * 255)
    }
    return out
  }
}
