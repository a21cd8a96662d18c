import type { RegionPixels as RawImage } from './slideReader'

/**
 * Decoded slide tiles, least recently used first out, bounded in bytes for the whole process (every open
 * slide shares it), so panning across a 50,000² slide costs at most this much memory however far it goes.
 */
export const CACHE_TILE = 512
const DEFAULT_BYTES = 256 << 20

class TileCache {
  private entries = new Map<string, Promise<RawImage>>()
  private sizes = new Map<string, number>()
  bytes = 0
  hits = 0
  misses = 0
  constructor(public limit: number) {}

  get(key: string, read: () => Promise<RawImage>): Promise<RawImage> {
    const hit = this.entries.get(key)
    if (hit) {
      this.hits++
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit
    }
    this.misses++
    const p = read()
    this.entries.set(key, p)
    p.then(
      (img) => {
        if (this.entries.get(key) !== p) return
        this.sizes.set(key, img.data.byteLength)
        this.bytes += img.data.byteLength
        this.evict()
      },
      () => this.entries.get(key) === p && this.entries.delete(key),
    )
    return p
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.limit) break
      const size = this.sizes.get(key)
      if (size === undefined) continue // still being read
      this.entries.delete(key)
      this.sizes.delete(key)
      this.bytes -= size
    }
  }

  /** Drops one slide's tiles (when it is closed). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()])
      if (key.startsWith(prefix)) {
        this.bytes -= this.sizes.get(key) ?? 0
        this.sizes.delete(key)
        this.entries.delete(key)
      }
  }
}

export const slideTileCache = new TileCache(
  Number(process.env.S4MI_SLIDE_CACHE_MB ?? 0) * 2 ** 20 || DEFAULT_BYTES,
)

/**
 * A region of one level assembled from CACHE_TILE-square tiles read by `readTile` (which gets a rectangle
 * inside the level and returns its RGB pixels); outside the level is white.
 */
export async function assembleRegion(
  cacheKey: string,
  level: { width: number; height: number },
  x: number,
  y: number,
  width: number,
  height: number,
  readTile: (left: number, top: number, width: number, height: number) => Promise<RawImage>,
): Promise<RawImage> {
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height)))
    throw new Error(`A region needs a positive whole size, got ${width} × ${height}`)
  const out = { data: new Uint8Array(width * height * 3).fill(255), width, height, channels: 3 }
  const tx0 = Math.max(0, Math.floor(x / CACHE_TILE))
  const ty0 = Math.max(0, Math.floor(y / CACHE_TILE))
  const tx1 = Math.min(Math.ceil(level.width / CACHE_TILE), Math.ceil((x + width) / CACHE_TILE))
  const ty1 = Math.min(Math.ceil(level.height / CACHE_TILE), Math.ceil((y + height) / CACHE_TILE))
  const jobs: Promise<void>[] = []
  for (let ty = ty0; ty < ty1; ty++)
    for (let tx = tx0; tx < tx1; tx++) {
      const left = tx * CACHE_TILE
      const top = ty * CACHE_TILE
      const tw = Math.min(CACHE_TILE, level.width - left)
      const th = Math.min(CACHE_TILE, level.height - top)
      jobs.push(
        slideTileCache
          .get(`${cacheKey}|${tx}|${ty}`, () => readTile(left, top, tw, th))
          .then((tile) => {
            // Copy the overlap of this tile and the wanted region, row by row.
            const sx = Math.max(x, left)
            const ex = Math.min(x + width, left + tw)
            const sy = Math.max(y, top)
            const ey = Math.min(y + height, top + th)
            const rowBytes = (ex - sx) * 3
            for (let r = sy; r < ey; r++) {
              const from = ((r - top) * tile.width + (sx - left)) * 3
              out.data.set(tile.data.subarray(from, from + rowBytes), ((r - y) * width + (sx - x)) * 3)
            }
          }),
      )
    }
  await Promise.all(jobs)
  return out
}
