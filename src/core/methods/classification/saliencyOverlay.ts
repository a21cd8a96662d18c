/**
 * A saliency map drawn over its image, as the paper's Figure 2 and the viewer show it: the map is
 * scaled to [0, 1] by its 99th percentile (one very bright pixel would otherwise wash the rest out),
 * coloured with a black-body ramp (dark red → yellow → white) and blended over the image with
 * `opacity` times the saliency, so unimportant pixels leave the image as it was.
 */
import { heatColour } from '../../../shared/heatRamp'

/** Saliency in [0, 1] per pixel: divided by the 99th percentile of the map, clipped at 1. */
export function normaliseSaliency(map: Float32Array | number[]): Float32Array {
  const sorted = Float32Array.from(map).sort()
  const top = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * (sorted.length - 1)))]
  const scale = top > 0 ? 1 / top : 0
  return Float32Array.from(map, (v) => Math.min(1, Math.max(0, v * scale)))
}

/**
 * 8-bit RGB of `image` (width × height × 3) with the saliency (width × height, any scale) blended over it:
 * out = (1 − a)·image + a·heat, a = opacity · saliency.
 */
export function saliencyOverlay(
  image: Uint8Array,
  map: Float32Array | number[],
  width: number,
  height: number,
  opacity = 0.7,
): Uint8Array {
  if (image.length !== width * height * 3)
    throw new Error(`overlay: ${image.length} bytes for ${width}×${height} RGB`)
  if (map.length !== width * height)
    throw new Error(`overlay: saliency has ${map.length} values for ${width}×${height}`)
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`overlay opacity must be in [0, 1], got ${opacity}`)
  const s = normaliseSaliency(map)
  const out = new Uint8Array(image.length)
  for (let p = 0; p < width * height; p++) {
    const a = opacity * s[p]
    const heat = heatColour(s[p])
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((1 - a) * image[p * 3 + c] + a * heat[c])
  }
  return out
}

/**
 * The map alone as an RGBA layer to lay over the image (the viewer): heat colours, alpha the normalised
 * saliency, so the viewer's opacity slider scales it and unimportant pixels stay transparent.
 */
export function saliencyHeatLayer(map: Float32Array | number[]): Uint8Array {
  const s = normaliseSaliency(map)
  const out = new Uint8Array(s.length * 4)
  s.forEach((v, p) => {
    out.set(heatColour(v), p * 4)
    out[p * 4 + 3] = Math.round(255 * v)
  })
  return out
}
