import { useMemo, useRef } from 'react'
import { MaskCanvasLayer, type MaskDrawTile } from '../MaskCanvasLayer'
import type { View } from '../viewTransform'
import { heatmapPixels, type HeatmapValues } from './heatmapPixels'

/** One tile of a per-pixel 0–1 map, placed in image pixels. */
export interface HeatmapTile {
  key: number
  x: number
  y: number
  width: number
  height: number
  values: HeatmapValues
}

/**
 * A heatmap over the slide: any per-pixel 0–1 map (a prediction's probability, an uncertainty), given as
 * tiles, drawn in viridis with its own opacity, above the annotation and apart from it (a continuous colour
 * map, never a class colour). Each tile is coloured once per map it receives; panning and zooming only move
 * the layer, as the mask layer does.
 */
export function HeatmapLayer({
  tiles,
  view,
  opacity,
  visible = true,
  hideBelow = 0,
  label,
}: {
  tiles: HeatmapTile[]
  view: View
  opacity: number
  visible?: boolean
  /** Values below this are left transparent (0: the whole map is coloured). */
  hideBelow?: number
  /** The layer's accessible name ('Probability heatmap layer'). */
  label: string
}) {
  // One canvas per tile key, recoloured when its values (or the floor) change.
  const painted = useRef(
    new Map<number, { values: HeatmapValues; canvas: HTMLCanvasElement; hideBelow: number }>(),
  )
  const drawn = useMemo<MaskDrawTile[]>(() => {
    const cache = painted.current
    const wanted = new Set(tiles.map((t) => t.key))
    for (const k of [...cache.keys()]) if (!wanted.has(k)) cache.delete(k)
    return tiles.map((t) => {
      let hit = cache.get(t.key)
      if (!hit || hit.values !== t.values || hit.hideBelow !== hideBelow) {
        const canvas = hit?.canvas ?? document.createElement('canvas')
        canvas.width = t.width
        canvas.height = t.height
        const ctx = canvas.getContext('2d')!
        const img = ctx.createImageData(t.width, t.height)
        heatmapPixels(t.values, img.data, hideBelow)
        ctx.putImageData(img, 0, 0)
        hit = { values: t.values, canvas, hideBelow }
        cache.set(t.key, hit)
      }
      return { key: t.key, canvas: hit.canvas, x: t.x, y: t.y }
    })
  }, [tiles, hideBelow])
  return <MaskCanvasLayer label={label} tiles={drawn} view={view} visible={visible} opacity={opacity} />
}
