/**
 * Mask → polygons, losslessly. Every pixel is the unit square [x, x+1] × [y, y+1] (QuPath's convention too:
 * origin at the top-left corner of the full-resolution image, pixel units), and a class's outline runs
 * along the pixel edges between its pixels and any other value. So the tracing tolerance is 0 px: filling
 * the polygons back by pixel centres (polygonRaster.ts) gives the same pixels. Only vertices where the
 * outline turns are kept, which loses nothing.
 *
 * Where a class's pixels touch only at a corner, the outline passes that corner twice; it is cut there, so
 * every ring is simple (as GeoJSON readers such as QuPath's JTS expect): two regions touching at a corner
 * are two polygons, and a region closing on itself at a corner is a shell and a hole touching there.
 *
 * Rings are written as GeoJSON wants them: closed (last point = first), shells with positive shoelace
 * area in image coordinates and holes negative (RFC 7946's right-hand rule, read in x, y numbers).
 *
 * A slide's mask is read tile by tile (with a 1-pixel margin) to collect its edges; only the outline,
 * never the mask, is held whole.
 */

/** A mask read by rectangles (data/tiledMask.ts's StoredMask, whether stored whole or tiled). */
export interface MaskSource {
  width: number
  height: number
  region(x: number, y: number, width: number, height: number): Promise<Uint8Array | null>
}

/** Rings of [x, y] points, the first a shell and the rest its holes, as in a GeoJSON Polygon. */
export type PolygonRings = number[][][]

// Directions of a boundary edge: 0 → +x, 1 → +y, 2 → −x, 3 → −y (image coordinates, y down).
const DX = [1, 0, -1, 0]
const DY = [0, 1, 0, -1]

/**
 * Outgoing boundary edges of one class, by start corner (y·(width+1) + x): a bit per direction. A corner
 * has one outgoing edge, or two where the class's pixels touch diagonally there.
 */
type EdgeMap = Map<number, number>

/** Adds the edges of the tile's pixels, each pixel's square walked with the class on its right-hand side. */
function collectEdges(
  edges: Map<number, EdgeMap>,
  data: Uint8Array,
  rx: number,
  ry: number,
  rw: number,
  rh: number,
  tile: { x: number; y: number; width: number; height: number },
  stride: number,
): void {
  const at = (x: number, y: number) =>
    x < rx || y < ry || x >= rx + rw || y >= ry + rh ? 0 : data[(y - ry) * rw + (x - rx)]
  const add = (v: number, x: number, y: number, dir: number) => {
    let m = edges.get(v)
    if (!m) edges.set(v, (m = new Map()))
    const k = y * stride + x
    m.set(k, (m.get(k) ?? 0) | (1 << dir))
  }
  for (let y = tile.y; y < tile.y + tile.height; y++)
    for (let x = tile.x; x < tile.x + tile.width; x++) {
      const v = at(x, y)
      if (v === 0) continue
      if (at(x, y - 1) !== v) add(v, x, y, 0) // top edge, left to right
      if (at(x + 1, y) !== v) add(v, x + 1, y, 1) // right edge, downwards
      if (at(x, y + 1) !== v) add(v, x + 1, y + 1, 2) // bottom edge, right to left
      if (at(x - 1, y) !== v) add(v, x, y + 1, 3) // left edge, upwards
    }
}

function ringArea(ring: number[][]): number {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
  return s / 2
}

interface Ring {
  ring: number[][]
  /** The centre of the pixel left of the ring's first edge: inside the hole, for a hole. */
  probe: [number, number]
}

/** A closed walk of corners (keys) and the directions leaving them, as a ring of its turning corners. */
function toRing(corners: number[], dirs: number[], stride: number): Ring {
  const ring: number[][] = []
  const n = corners.length
  for (let i = 0; i < n; i++)
    if (dirs[(i + n - 1) % n] !== dirs[i]) ring.push([corners[i] % stride, Math.floor(corners[i] / stride)])
  ring.push([...ring[0]])
  // Midpoint of the first edge plus half a pixel along its left normal (dy, −dx).
  const x = (corners[0] % stride) + DX[dirs[0]] / 2 + DY[dirs[0]] / 2
  const y = Math.floor(corners[0] / stride) + DY[dirs[0]] / 2 - DX[dirs[0]] / 2
  return { ring, probe: [x, y] }
}

/**
 * Links one class's edges into simple closed rings. Each edge's successor depends only on the corner it
 * reaches and its direction: the one way on, or where pixels touch diagonally (two ways on) the turn
 * that stays around the same pixel (out = in + 1). A closed walk that passes a corner twice is cut there.
 */
function linkRings(edges: EdgeMap, stride: number): Ring[] {
  const rings: Ring[] = []
  const take = (k: number, dir: number) => {
    const rest = (edges.get(k) as number) & ~(1 << dir)
    if (rest) edges.set(k, rest)
    else edges.delete(k)
  }
  for (;;) {
    const first = edges.entries().next()
    if (first.done) break
    const [k0, bits0] = first.value
    const d0 = 31 - Math.clz32(bits0)
    const corners: number[] = []
    const dirs: number[] = []
    let k = k0
    let dir = d0
    do {
      corners.push(k)
      dirs.push(dir)
      k = (Math.floor(k / stride) + DY[dir]) * stride + (k % stride) + DX[dir]
      const out = edges.get(k)
      if (out === undefined)
        throw new Error(`Mask tracing: an outline stops at ${k % stride},${Math.floor(k / stride)}`)
      dir = (out & (out - 1)) === 0 ? 31 - Math.clz32(out) : (dir + 1) % 4
    } while (!(k === k0 && dir === d0))
    for (let i = 0; i < corners.length; i++) take(corners[i], dirs[i])
    // Cut at corners passed twice: each part is a closed ring.
    const stack: number[] = []
    const stackDirs: number[] = []
    const at = new Map<number, number>()
    for (let i = 0; i < corners.length; i++) {
      const p = at.get(corners[i])
      if (p !== undefined) {
        const cs = stack.splice(p)
        const ds = stackDirs.splice(p)
        for (const c of cs) at.delete(c)
        rings.push(toRing(cs, ds, stride))
      }
      at.set(corners[i], stack.length)
      stack.push(corners[i])
      stackDirs.push(dirs[i])
    }
    rings.push(toRing(stack, stackDirs, stride))
  }
  return rings
}

/** Whether a point (never on an edge: half-integer coordinates) is inside a ring, by crossings. */
function insideRing(ring: number[][], px: number, py: number): boolean {
  let inside = false
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]
    const [x2, y2] = ring[i + 1]
    if (y1 > py !== y2 > py && px < x1 + ((py - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside
  }
  return inside
}

interface Shell {
  ring: number[][]
  area: number
  box: [number, number, number, number]
  holes: number[][][]
}

function bbox(ring: number[][]): [number, number, number, number] {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const [x, y] of ring) {
    x0 = Math.min(x0, x)
    y0 = Math.min(y0, y)
    x1 = Math.max(x1, x)
    y1 = Math.max(y1, y)
  }
  return [x0, y0, x1, y1]
}

/**
 * Groups rings into polygons. Shells have positive area, holes negative; a hole belongs to the smallest
 * shell around the pixel just inside it (rings never cross, so that is the innermost shell around the hole).
 */
function assemblePolygons(rings: Ring[]): PolygonRings[] {
  const shells: Shell[] = []
  const holes: Ring[] = []
  for (const r of rings) {
    const area = ringArea(r.ring)
    if (area > 0) shells.push({ ring: r.ring, area, box: bbox(r.ring), holes: [] })
    else holes.push(r)
  }
  shells.sort((a, b) => a.area - b.area)
  for (const h of holes) {
    const [px, py] = h.probe
    const owner = shells.find(
      (s) => px > s.box[0] && px < s.box[2] && py > s.box[1] && py < s.box[3] && insideRing(s.ring, px, py),
    )
    if (!owner) throw new Error(`Mask tracing found a hole at ${px},${py} outside every outline`)
    owner.holes.push(h.ring)
  }
  // Top-to-bottom, left-to-right by each shell's first corner: the same mask always gives the same file.
  return shells
    .sort((a, b) => a.ring[0][1] - b.ring[0][1] || a.ring[0][0] - b.ring[0][0])
    .map((s) => [s.ring, ...s.holes])
}

/** One class value's polygons (GeoJSON Polygon coordinates), for every class present in the mask. */
export async function traceMaskPolygons(
  mask: MaskSource,
  tileSize: number,
): Promise<Map<number, PolygonRings[]>> {
  const { width, height } = mask
  const stride = width + 1
  const edges = new Map<number, EdgeMap>()
  for (let ty = 0; ty < height; ty += tileSize)
    for (let tx = 0; tx < width; tx += tileSize) {
      const tile = {
        x: tx,
        y: ty,
        width: Math.min(tileSize, width - tx),
        height: Math.min(tileSize, height - ty),
      }
      const rx = Math.max(0, tx - 1)
      const ry = Math.max(0, ty - 1)
      const rw = Math.min(width, tx + tile.width + 1) - rx
      const rh = Math.min(height, ty + tile.height + 1) - ry
      const data = await mask.region(rx, ry, rw, rh)
      if (data) collectEdges(edges, data, rx, ry, rw, rh, tile, stride)
    }
  const out = new Map<number, PolygonRings[]>()
  for (const v of [...edges.keys()].sort((a, b) => a - b))
    out.set(v, assemblePolygons(linkRings(edges.get(v) as EdgeMap, stride)))
  return out
}
