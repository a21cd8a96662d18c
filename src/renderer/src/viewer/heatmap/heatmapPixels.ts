import { VIRIDIS } from './viridis'

/**
 * A per-pixel map of values in [0, 1]: a Float32Array holds them as they are; a Uint8Array holds them
 * quantised to 8 bits (v = byte / 255), as the API sends stored probability maps.
 */
export type HeatmapValues = Float32Array | Uint8Array

/** The colour-map entry (0…255) of one value of a map. */
function entry(values: HeatmapValues, i: number): number {
  if (values instanceof Uint8Array) return values[i]
  const v = values[i]
  return v >= 1 ? 255 : v > 0 ? Math.round(255 * v) : 0
}

/**
 * RGBA pixels of a heatmap (viridis, opaque; the layer's opacity blends it over the tissue), with values
 * below `hideBelow` left transparent so the tissue shows where the map is near 0 when asked.
 */
export function heatmapPixels(values: HeatmapValues, out: Uint8ClampedArray, hideBelow = 0): void {
  if (out.length !== values.length * 4)
    throw new Error(`heatmap: ${out.length / 4} pixels to fill from ${values.length} values`)
  const floor = Math.round(255 * hideBelow)
  for (let i = 0; i < values.length; i++) {
    const k = entry(values, i)
    out[i * 4] = VIRIDIS[k * 3]
    out[i * 4 + 1] = VIRIDIS[k * 3 + 1]
    out[i * 4 + 2] = VIRIDIS[k * 3 + 2]
    out[i * 4 + 3] = k < floor ? 0 : 255
  }
}

/** CSS colour of the map at value t in [0, 1] (the legend's gradient stops). */
export function heatmapColour(t: number): string {
  const k = Math.round(255 * Math.min(1, Math.max(0, t))) * 3
  return `rgb(${VIRIDIS[k]}, ${VIRIDIS[k + 1]}, ${VIRIDIS[k + 2]})`
}
