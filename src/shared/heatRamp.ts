/**
 * The colour ramp of the heat maps drawn over an image (saliency, uncertainty): black → red → yellow →
 * white, a black-body ramp as the paper's Figure 2 draws saliency. The core colours the layers with it and
 * the viewer's legend draws the same ramp, so the key matches the picture.
 */
export function heatColour(s: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, s))
  return [Math.min(1, 3 * t), Math.min(1, Math.max(0, 3 * t - 1)), Math.min(1, Math.max(0, 3 * t - 2))].map(
    (c) => Math.round(255 * c),
  ) as [number, number, number]
}

/** The ramp's colour as CSS, for legends. */
export function heatColourCss(s: number): string {
  return `rgb(${heatColour(s).join(', ')})`
}
