/**
 * Tile predictions back into one full-image mask. Each tile holds class probabilities for a
 * size × size square placed at (x, y); only its top-left width × height part lies on the image (the
 * rest is padding and is dropped). Where tiles overlap, probabilities are averaged before the argmax,
 * so a pixel seen by two tiles takes the class the two agree on most, not whichever was written last.
 */

export interface TilePrediction {
  x: number
  y: number
  /** Part of the tile that lies on the image (≤ size). */
  width: number
  height: number
  /** Side of the predicted square, padding included. */
  size: number
  /** size × size × classes, row-major, class fastest (NHWC). */
  probabilities: Float32Array
}

export interface StitchedMask {
  width: number
  height: number
  classes: number
  /** Argmax class per pixel (0 = background), row-major. */
  mask: Uint8Array
  /** Averaged probabilities, width × height × classes. */
  probabilities: Float32Array
  /** Pixels no tile covered (they stay background). */
  uncovered: number
}

export function stitchTiles(
  tiles: TilePrediction[],
  image: { width: number; height: number },
  classes: number,
): StitchedMask {
  const { width, height } = image
  if (!(classes >= 1 && classes <= 256)) throw new Error(`classes must be 1..256, got ${classes}`)
  const sum = new Float32Array(width * height * classes)
  const hits = new Uint16Array(width * height)
  tiles.forEach((t, i) => {
    if (t.probabilities.length !== t.size * t.size * classes) {
      throw new Error(
        `Tile ${i} at (${t.x}, ${t.y}) has ${t.probabilities.length} probabilities, expected ${t.size}×${t.size}×${classes}`,
      )
    }
    if (t.width > t.size || t.height > t.size) {
      throw new Error(
        `Tile ${i} at (${t.x}, ${t.y}) covers ${t.width}×${t.height}, more than its side ${t.size}`,
      )
    }
    const rows = Math.min(t.height, height - t.y)
    const cols = Math.min(t.width, width - t.x)
    for (let r = Math.max(0, -t.y); r < rows; r++) {
      for (let c = Math.max(0, -t.x); c < cols; c++) {
        const dst = (t.y + r) * width + (t.x + c)
        const src = (r * t.size + c) * classes
        hits[dst]++
        for (let k = 0; k < classes; k++) sum[dst * classes + k] += t.probabilities[src + k]
      }
    }
  })
  const mask = new Uint8Array(width * height)
  let uncovered = 0
  for (let p = 0; p < width * height; p++) {
    if (hits[p] === 0) {
      uncovered++
      continue
    }
    for (let k = 0; k < classes; k++) sum[p * classes + k] /= hits[p]
    mask[p] = argmaxClass(sum, p * classes, classes)
  }
  return { width, height, classes, mask, probabilities: sum, uncovered }
}

/**
 * The most probable class of the pixel whose `classes` probabilities start at `at` (class fastest, NHWC);
 * a tie goes to the lower class. Stitched, whole-image and tiled masks all take their classes here.
 */
export function argmaxClass(probabilities: Float32Array, at: number, classes: number): number {
  let best = 0
  for (let k = 1; k < classes; k++) if (probabilities[at + k] > probabilities[at + best]) best = k
  return best
}

/**
 * An image predicted whole: its own single tile with nothing to average, so its mask is the argmax of its
 * probabilities (width × height × classes), ties to the lower class as in stitchTiles, which it equals.
 */
export function wholeImageMask(
  probabilities: Float32Array,
  image: { width: number; height: number },
  classes: number,
): StitchedMask {
  const { width, height } = image
  if (probabilities.length !== width * height * classes)
    throw new Error(
      `An image of ${width}×${height} has ${probabilities.length} probabilities, expected ${width}×${height}×${classes}`,
    )
  const mask = new Uint8Array(width * height)
  for (let p = 0; p < width * height; p++) mask[p] = argmaxClass(probabilities, p * classes, classes)
  return { width, height, classes, mask, probabilities, uncovered: 0 }
}
