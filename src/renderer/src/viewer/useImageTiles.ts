import { useEffect, useMemo, useRef, useState } from 'react'
import type { Pyramid } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import { levelForScale, tilesCovering, visibleImageRect, type View } from './viewTransform'

export interface DrawTile {
  key: string
  image: HTMLImageElement
  x: number
  y: number
  width: number
  height: number
}

/** Decoded tiles kept at most; older ones are dropped (and re-fetched from the browser cache if needed). */
const MAX_IMAGES = 96

/**
 * The image tiles to draw for a view: the coarsest level whole (a backdrop that is there at once, and while
 * finer tiles load) plus the level that matches the zoom, only where it is on screen. Tiles are fetched from
 * the core by blob hash, in one batch per view change, and decoded images are kept in a small LRU.
 */
export function useImageTiles(
  imageId: number,
  pyramid: Pyramid | null,
  view: View | null,
  size: { width: number; height: number },
): { tiles: DrawTile[]; level: number; loading: number } {
  const blobs = useRef(new Map<string, string>())
  const requested = useRef(new Set<string>())
  const images = useRef(new Map<string, HTMLImageElement>())
  const [tick, setTick] = useState(0)

  useEffect(() => {
    const b = blobs.current
    const r = requested.current
    const imgs = images.current
    return () => {
      b.clear()
      r.clear()
      for (const img of imgs.values()) img.src = ''
      imgs.clear()
    }
  }, [imageId])

  const wanted = useMemo(() => {
    if (!pyramid || !view)
      return { level: 0, keys: [] as { key: string; level: number; tx: number; ty: number }[] }
    const top = pyramid.levels.length - 1
    const level = levelForScale(view.scale * (window.devicePixelRatio || 1), pyramid.levels.length)
    const rect = visibleImageRect(view, size.width, size.height, pyramid.width, pyramid.height)
    const keys: { key: string; level: number; tx: number; ty: number }[] = []
    const lt = pyramid.levels[top]
    for (let ty = 0; ty < lt.rows; ty++)
      for (let tx = 0; tx < lt.cols; tx++) keys.push({ key: `${top}/${tx}/${ty}`, level: top, tx, ty })
    if (rect && level !== top) {
      const lv = pyramid.levels[level]
      for (const [tx, ty] of tilesCovering(rect, level, pyramid.tileSize, lv.cols, lv.rows))
        keys.push({ key: `${level}/${tx}/${ty}`, level, tx, ty })
    }
    return { level, keys }
  }, [pyramid, view, size.width, size.height])

  useEffect(() => {
    const missing = wanted.keys.filter((k) => !blobs.current.has(k.key) && !requested.current.has(k.key))
    const byLevel = new Map<number, typeof missing>()
    for (const k of missing) {
      requested.current.add(k.key)
      byLevel.set(k.level, [...(byLevel.get(k.level) ?? []), k])
    }
    for (const [level, list] of byLevel)
      client
        .call('viewer.tiles', { imageId, level, tiles: list.map((k) => [k.tx, k.ty] as [number, number]) })
        .then(({ blobs: got }) => {
          list.forEach((k, i) => blobs.current.set(k.key, got[i]))
          setTick((t) => t + 1)
        })
        .catch(() => list.forEach((k) => requested.current.delete(k.key)))
  }, [wanted, imageId])

  const drawn = useMemo(() => {
    void tick
    if (!pyramid) return { tiles: [] as DrawTile[], loading: 0 }
    const out: DrawTile[] = []
    let loading = 0
    for (const k of wanted.keys) {
      const blob = blobs.current.get(k.key)
      if (!blob) {
        loading++
        continue
      }
      let img = images.current.get(k.key)
      if (img) {
        images.current.delete(k.key)
        images.current.set(k.key, img)
      } else {
        img = new Image()
        img.onload = () => setTick((t) => t + 1)
        img.src = client.blobUrl(blob)
        images.current.set(k.key, img)
        while (images.current.size > MAX_IMAGES) {
          const [oldKey, old] = images.current.entries().next().value as [string, HTMLImageElement]
          old.src = ''
          images.current.delete(oldKey)
        }
      }
      if (!img.complete || img.naturalWidth === 0) {
        loading++
        continue
      }
      const f = 2 ** k.level
      const span = pyramid.tileSize * f
      out.push({
        key: k.key,
        image: img,
        x: k.tx * span,
        y: k.ty * span,
        width: img.naturalWidth * f,
        height: img.naturalHeight * f,
      })
    }
    return { tiles: out, loading }
  }, [wanted, tick, pyramid])

  return { tiles: drawn.tiles, level: wanted.level, loading: drawn.loading }
}
