/** A #rrggbb colour as [r, g, b]; an unreadable colour becomes a neutral grey rather than vanishing. */
export function parseHexColour(colour: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(colour.trim())
  if (!m) return [128, 128, 128]
  const n = parseInt(m[1], 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Colour for mask values past the project's classes, so a bad mask still shows. */
const UNKNOWN_CLASS: [number, number, number] = [255, 0, 255]

/**
 * Paints a mask of class indices (0 background, k = the project's k-th class) as an RGBA overlay: each
 * class in its colour, filled at `fillAlpha` with an opaque outline where the class changes, so the
 * boundary reads clearly over tissue of a similar colour. `indices` holds one value per pixel.
 */
export function colourMask(
  indices: ArrayLike<number>,
  width: number,
  height: number,
  classColours: string[],
  fillAlpha = 110,
): Uint8ClampedArray<ArrayBuffer> {
  if (indices.length !== width * height) {
    throw new Error(`mask has ${indices.length} values but is ${width}×${height}`)
  }
  const palette = classColours.map(parseHexColour)
  const out = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      const k = indices[i]
      if (k === 0) continue
      const [r, g, b] = palette[k - 1] ?? UNKNOWN_CLASS
      const edge =
        (x > 0 && indices[i - 1] !== k) ||
        (x < width - 1 && indices[i + 1] !== k) ||
        (y > 0 && indices[i - width] !== k) ||
        (y < height - 1 && indices[i + width] !== k)
      out[i * 4] = r
      out[i * 4 + 1] = g
      out[i * 4 + 2] = b
      out[i * 4 + 3] = edge ? 255 : fillAlpha
    }
  }
  return out
}

/** The class index of each pixel from a decoded grey mask drawn to RGBA (every channel holds the index). */
export function indicesFromRgba(rgba: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(rgba.length / 4)
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4]
  return out
}
