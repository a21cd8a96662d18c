import { shapeBounds, shapeDistance, type RadialShape } from './lesionShape'
import { blendPixel, type Rgb, type RgbImage } from './rgbImage'

/**
 * Paints a shape pixel by pixel: `colourAt` gets the pixel, its index and its normalised radial
 * distance t (≤ 1 inside) and returns the colour and opacity to blend there. The border is softened
 * over `soft` (in units of t) inside the boundary; outside it is untouched. Optionally marks the inside in
 * `mask` with `maskValue` (a mask class's pixel value).
 */
export function paintShape(
  img: RgbImage,
  s: RadialShape,
  soft: number,
  colourAt: (x: number, y: number, t: number) => Rgb,
  opacity = 1,
  mask?: Uint8Array,
  maskValue = 1,
): void {
  const { width, height } = img
  const b = shapeBounds(s, width, height)
  const distance = shapeDistance(s)
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const t = distance(x + 0.5, y + 0.5)
      if (t > 1) continue
      const i = y * width + x
      if (mask) mask[i] = maskValue
      const edge = soft > 0 ? Math.min(1, (1 - t) / soft) : 1
      blendPixel(img, i, colourAt(x, y, t), opacity * edge * edge * (3 - 2 * edge))
    }
  }
}
