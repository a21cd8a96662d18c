import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { MaskReach } from '../useMaskReach'
import type { HeatmapTile } from './HeatmapLayer'
import type { HeatmapValues } from './heatmapPixels'

const zeroMaps = new Map<number, Uint8Array>()
/** A shared all-0 map of n pixels (tiles the API sends as null). */
function zeros(n: number): Uint8Array {
  let z = zeroMaps.get(n)
  if (!z) zeroMaps.set(n, (z = new Uint8Array(n)))
  return z
}

/** Loaded heatmap tiles kept at most while panning; past it, tiles off screen are dropped. */
const MAX_LOADED_TILES = 160

/**
 * The tiles of a per-pixel 0–1 map on screen, loaded on the mask's grid as the view moves (the same tiles
 * the mask and prediction layers load). `source` names the map (a new one starts from nothing; null shows
 * none); `load` reads tiles of it, null for a tile that is all 0.
 */
export function useHeatmapTiles(
  source: string | null,
  load: (tiles: [number, number][]) => Promise<(HeatmapValues | null)[]>,
  reach: MaskReach,
  image: { width: number; height: number },
): { tiles: HeatmapTile[]; error: string | null } {
  const cols = Math.ceil(image.width / reach.tileSize)
  const loaded = useRef(new Map<number, HeatmapValues | null>())
  const pending = useRef(new Set<number>())
  const loader = useRef(load)
  useLayoutEffect(() => {
    loader.current = load
  })
  const [version, setVersion] = useState(0)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    loaded.current = new Map()
    pending.current = new Set()
    setError(null)
    setVersion((v) => v + 1)
  }, [source, reach.tileSize])

  useEffect(() => {
    if (source === null || !reach.inReach) return
    const have = loaded.current
    const key = ([tx, ty]: [number, number]) => ty * cols + tx
    const missing = reach.tiles.filter((t) => !have.has(key(t)) && !pending.current.has(key(t)))
    if (have.size + missing.length > MAX_LOADED_TILES) {
      const keep = new Set(reach.tiles.map(key))
      for (const k of [...have.keys()]) if (!keep.has(k)) have.delete(k)
    }
    if (missing.length === 0) return
    const into = have
    for (const t of missing) pending.current.add(key(t))
    loader.current(missing).then(
      (values) => {
        if (loaded.current !== into) return // another map since
        missing.forEach((t, i) => {
          pending.current.delete(key(t))
          into.set(key(t), values[i])
        })
        setVersion((v) => v + 1)
      },
      (e: Error) => {
        if (loaded.current !== into) return
        for (const t of missing) pending.current.delete(key(t))
        setError(e.message)
      },
    )
  }, [source, reach.inReach, reach.tiles, cols])

  const tiles = useMemo(() => {
    if (source === null || !reach.inReach) return []
    const s = reach.tileSize
    const out: HeatmapTile[] = []
    for (const [tx, ty] of reach.tiles) {
      const k = ty * cols + tx
      if (!loaded.current.has(k)) continue
      const width = Math.min(s, image.width - tx * s)
      const height = Math.min(s, image.height - ty * s)
      // A tile sent as null is all 0: drawn as 0, like any other value.
      const values = loaded.current.get(k) ?? zeros(width * height)
      out.push({ key: k, x: tx * s, y: ty * s, width, height, values })
    }
    return out
    // `version` says the loaded tiles changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, reach.inReach, reach.tiles, reach.tileSize, cols, image.width, version])
  return { tiles, error }
}
