/**
 * How sure a prediction is, pixel by pixel, as the viewer's probability heatmap draws it: 8-bit maps
 * (round(255·p)) of "any mask class" (value 0: the sum of the non-background classes' probabilities, i.e.
 * 1 − p(background) where a tile covered the pixel, 0 where none did) and, when the net has several mask
 * classes, of each class value. Stored like masks (store/predictions.ts), so a slide's maps are tiled too.
 */

/** The class values a run with `classes` outputs (background included) keeps a map of. */
export function probabilityMapValues(classes: number): number[] {
  return classes <= 2 ? [0] : [0, ...Array.from({ length: classes - 1 }, (_, k) => k + 1)]
}

/**
 * The 8-bit maps of the top-left width × height part of a span-wide block of probabilities (row-major,
 * class fastest, as a net's softmax output is), by class value.
 */
export function quantiseProbabilities(
  probs: Float32Array,
  span: number,
  width: number,
  height: number,
  classes: number,
): Map<number, Uint8Array> {
  if (probs.length < span * height * classes || width > span)
    throw new Error(`probabilities: ${probs.length} values cannot hold ${width}×${height}×${classes}`)
  const values = probabilityMapValues(classes)
  const maps = new Map(values.map((v) => [v, new Uint8Array(width * height)]))
  const any = maps.get(0)!
  const perClass = values.slice(1).map((v) => maps.get(v)!)
  const q = (p: number) => Math.round(255 * Math.min(1, Math.max(0, p)))
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const at = (r * span + c) * classes
      const i = r * width + c
      let fg = 0
      for (let k = 1; k < classes; k++) fg += probs[at + k]
      any[i] = q(fg)
      for (let k = 0; k < perClass.length; k++) perClass[k][i] = q(probs[at + k + 1])
    }
  return maps
}
