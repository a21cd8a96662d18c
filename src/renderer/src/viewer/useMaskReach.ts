import { useMemo } from 'react'
import type { MaskSession } from '../annotation/useMaskSession'
import type { MaskDrawTile } from './MaskCanvasLayer'
import { tilesCovering, visibleImageRect, type View } from './viewTransform'

/** Mask tiles shown and editable at once; zoomed out further, the mask waits until you zoom in. */
export const MAX_MASK_TILES = 64

/**
 * The mask tiles on screen (the mask's grid is the pyramid's level-0 tiles) and whether there are few enough
 * to load and edit: the mask and prediction layers load and draw exactly these.
 */
export function useMaskReach(
  view: View | null,
  size: { width: number; height: number },
  image: { width: number; height: number },
  tileSize: number,
) {
  const visible = view ? visibleImageRect(view, size.width, size.height, image.width, image.height) : null
  const cols = Math.ceil(image.width / tileSize)
  const rows = Math.ceil(image.height / tileSize)
  const tiles = useMemo(
    () => (visible ? tilesCovering(visible, 0, tileSize, cols, rows) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [visible?.x, visible?.y, visible?.width, visible?.height, tileSize, cols, rows],
  )
  const inReach = tiles.length > 0 && tiles.length <= MAX_MASK_TILES
  return { visible, tiles, inReach, tileSize }
}

export type MaskReach = ReturnType<typeof useMaskReach>

/** The loaded tile canvases of a mask session among the tiles in reach, placed in image pixels. */
export function maskDrawTiles(s: MaskSession, reach: MaskReach): MaskDrawTile[] {
  if (!reach.inReach) return []
  const out: MaskDrawTile[] = []
  for (const [tx, ty] of reach.tiles) {
    const canvas = s.canvases.canvas(tx, ty)
    if (canvas) out.push({ key: s.mask.key(tx, ty), canvas, x: tx * reach.tileSize, y: ty * reach.tileSize })
  }
  return out
}
