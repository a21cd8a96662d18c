/**
 * Per-tile pictures of a slide put back together, as the slide's predictions are: a classifier sees each
 * tile resized to its input side, so a tile's map covers `tileSize` level-0 pixels with `size` values a
 * side. The stitched picture is the whole image at that scale (size / tileSize), each tile at its place;
 * edge tiles, padded past the image, are cut at its border. A whole image (no tile) is its own picture.
 */
export interface TilePlace {
  /** Level-0 position of the tile's top-left corner. */
  x: number
  y: number
  tileSize: number
}

export interface Stitched<T extends Float32Array | Uint8Array> {
  width: number
  height: number
  data: T
}

export function stitchTiles<T extends Float32Array | Uint8Array>(
  places: readonly (TilePlace | null)[],
  pictures: readonly T[],
  size: number,
  image: { width: number; height: number },
  channels = 1,
): Stitched<T> {
  if (places.length !== pictures.length || places.length === 0)
    throw new Error(`stitchTiles: ${places.length} places for ${pictures.length} pictures`)
  for (const p of pictures)
    if (p.length !== size * size * channels)
      throw new Error(`stitchTiles: a tile's picture has ${p.length} values, not ${size}×${size}×${channels}`)
  const make = (n: number) =>
    (pictures[0] instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n)) as T
  if (places.length === 1 && places[0] === null) {
    const data = make(pictures[0].length)
    data.set(pictures[0])
    return { width: size, height: size, data }
  }
  const tileSize = places[0]?.tileSize
  if (!tileSize || places.some((p) => p === null || p.tileSize !== tileSize))
    throw new Error('stitchTiles: a slide’s tiles must all be tiles of one size')
  const scale = size / tileSize
  const width = Math.max(1, Math.round(image.width * scale))
  const height = Math.max(1, Math.round(image.height * scale))
  const data = make(width * height * channels)
  places.forEach((p, i) => {
    const left = Math.round(p!.x * scale)
    const top = Math.round(p!.y * scale)
    const cols = Math.min(size, width - left)
    for (let r = 0; r < size && top + r < height; r++) {
      if (cols <= 0) break
      const from = r * size * channels
      data.set(pictures[i].subarray(from, from + cols * channels), ((top + r) * width + left) * channels)
    }
  })
  return { width, height, data }
}
