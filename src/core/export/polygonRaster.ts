import type { PolygonRings } from './maskTracing'

/**
 * Polygons → mask, by pixel centres: pixel (x, y) takes a shape's value when its centre (x + ½, y + ½) is
 * inside the shape (even–odd over a polygon's shell and holes; a MultiPolygon is the union of its
 * polygons). For outlines along pixel edges (maskTracing.ts) this gives back exactly the traced pixels;
 * for any other outline (QuPath's, drawn by hand) it is the usual scan-conversion rule.
 *
 * Shapes are painted in the order given, a later one over an earlier one. The mask is produced in strips of
 * `tileSize` rows and handed out tile by tile (only tiles a shape reaches), so a slide's mask is never held
 * whole: each strip's tiles are passed to `onTile` and dropped.
 */

export interface RasterShape {
  value: number
  polygons: PolygonRings[]
}

interface Edge {
  x1: number
  y1: number
  /** dx/dy */
  slope: number
  /** First row whose centre the edge crosses, and the row after its last. */
  row0: number
  row1: number
}

interface PreparedPolygon {
  order: number
  value: number
  edges: Edge[]
  row0: number
  row1: number
}

function prepare(shapes: readonly RasterShape[]): PreparedPolygon[] {
  const out: PreparedPolygon[] = []
  shapes.forEach((shape, order) => {
    for (const rings of shape.polygons) {
      const edges: Edge[] = []
      for (const ring of rings)
        for (let i = 0; i + 1 < ring.length; i++) {
          const [ax, ay] = ring[i]
          const [bx, by] = ring[i + 1]
          if (ay === by) continue // a horizontal edge crosses no row centre
          const [x1, y1, x2, y2] = ay < by ? [ax, ay, bx, by] : [bx, by, ax, ay]
          const row0 = Math.ceil(y1 - 0.5)
          const row1 = Math.ceil(y2 - 0.5)
          if (row1 > row0) edges.push({ x1, y1, slope: (x2 - x1) / (y2 - y1), row0, row1 })
        }
      if (edges.length === 0) continue
      edges.sort((a, b) => a.row0 - b.row0)
      out.push({
        order,
        value: shape.value,
        edges,
        row0: edges[0].row0,
        row1: Math.max(...edges.map((e) => e.row1)),
      })
    }
  })
  return out.sort((a, b) => a.row0 - b.row0 || a.order - b.order)
}

/** A polygon's state while the rows pass: edges not yet reached, and those crossing the current row. */
interface ActivePolygon {
  p: PreparedPolygon
  next: number
  active: Edge[]
}

export interface RasterTile {
  x: number
  y: number
  width: number
  height: number
  data: Uint8Array
}

export async function rasterisePolygons(
  shapes: readonly RasterShape[],
  size: { width: number; height: number },
  tileSize: number,
  onTile: (tile: RasterTile) => Promise<void> | void,
): Promise<void> {
  const { width, height } = size
  const polygons = prepare(shapes)
  let waiting = 0
  let active: ActivePolygon[] = []
  const xs: number[] = []
  for (let sy = 0; sy < height; sy += tileSize) {
    const sh = Math.min(tileSize, height - sy)
    const tiles = new Map<number, RasterTile>()
    const paint = (row: number, from: number, to: number, value: number) => {
      for (let tx = Math.floor(from / tileSize); tx * tileSize < to; tx++) {
        let t = tiles.get(tx)
        if (!t) {
          const tw = Math.min(tileSize, width - tx * tileSize)
          t = { x: tx * tileSize, y: sy, width: tw, height: sh, data: new Uint8Array(tw * sh) }
          tiles.set(tx, t)
        }
        const a = Math.max(from, t.x) - t.x
        const b = Math.min(to, t.x + t.width) - t.x
        t.data.fill(value, (row - sy) * t.width + a, (row - sy) * t.width + b)
      }
    }
    for (let row = sy; row < sy + sh; row++) {
      let added = false
      while (waiting < polygons.length && polygons[waiting].row0 <= row) {
        active.push({ p: polygons[waiting++], next: 0, active: [] })
        added = true
      }
      if (added) active.sort((a, b) => a.p.order - b.p.order)
      if (active.some((a) => a.p.row1 <= row)) active = active.filter((a) => a.p.row1 > row)
      const yc = row + 0.5
      for (const a of active) {
        const { edges } = a.p
        while (a.next < edges.length && edges[a.next].row0 <= row) a.active.push(edges[a.next++])
        if (a.active.some((e) => e.row1 <= row)) a.active = a.active.filter((e) => e.row1 > row)
        xs.length = 0
        for (const e of a.active) xs.push(e.x1 + (yc - e.y1) * e.slope)
        xs.sort((u, v) => u - v)
        for (let i = 0; i + 1 < xs.length; i += 2) {
          // Pixels whose centre x + ½ lies in [xs[i], xs[i+1]).
          const from = Math.max(0, Math.ceil(xs[i] - 0.5))
          const to = Math.min(width, Math.ceil(xs[i + 1] - 0.5))
          if (to > from) paint(row, from, to, a.p.value)
        }
      }
    }
    for (const tx of [...tiles.keys()].sort((a, b) => a - b)) await onTile(tiles.get(tx) as RasterTile)
  }
}
