import { createHash } from 'node:crypto'
import type { PolygonRings } from './maskTracing'

/**
 * QuPath's GeoJSON, as QuPath 0.4/0.5 writes and reads it (qupath-core PathObjectTypeAdapters): a
 * FeatureCollection (or a bare array) of Features, each with a UUID `id`, a `geometry` in full-resolution
 * pixel coordinates (origin at the image's top-left corner), and `properties.objectType` ("annotation",
 * "detection", "cell", "tile") and `properties.classification` `{ name, color: [r, g, b] }` (0.3 and
 * earlier wrote `colorRGB`, a packed integer, instead of `color`).
 */

export interface GeoJsonClass {
  name: string
  /** '#rrggbb' */
  color: string
}

export interface QuPathFeature {
  type: 'Feature'
  id: string
  geometry:
    { type: 'Polygon'; coordinates: PolygonRings } | { type: 'MultiPolygon'; coordinates: PolygonRings[] }
  properties: { objectType: 'annotation'; classification: { name: string; color: [number, number, number] } }
}

function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (!m) throw new Error(`Colour ${color} is not #rrggbb`)
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)]
}

function hex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

/** A UUID (QuPath reads `id` as one) fixed by what the feature is, so the same mask gives the same file. */
function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** One annotation per mask class: a Polygon, or a MultiPolygon when the class has several regions. */
export function annotationFeature(
  imageName: string,
  cls: GeoJsonClass,
  polygons: PolygonRings[],
): QuPathFeature {
  return {
    type: 'Feature',
    id: stableUuid(`${imageName}\u0000${cls.name}`),
    geometry:
      polygons.length === 1
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons },
    properties: { objectType: 'annotation', classification: { name: cls.name, color: rgb(cls.color) } },
  }
}

/** The object types that become mask pixels; QuPath reads a feature without one as an annotation. */
const AREA_OBJECTS = new Set(['annotation', 'detection', 'cell', 'tile', 'unknown'])
// QuPath 0.2 stored the object type in `id`.
const LEGACY_TYPES: Record<string, string> = {
  PathAnnotationObject: 'annotation',
  PathDetectionObject: 'detection',
  PathCellObject: 'cell',
  PathTileObject: 'tile',
  TMACoreObject: 'tmaCore',
  PathRootObject: 'root',
}

export interface ReadShape {
  /** Where it is in the file, e.g. features[3]. */
  where: string
  objectType: string
  /** null: the feature has no classification. */
  className: string | null
  /** The classification's colour, when the file gives one. */
  color: string | null
  polygons: PolygonRings[]
}

export interface ReadGeoJson {
  shapes: ReadShape[]
  /** Features left out: no area (points, lines) or an object type that is not a region (TMA cores). */
  skipped: { where: string; why: string }[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Checks a ring's points (numbers inside the image) and closes it if the file left it open. */
function readRing(v: unknown, field: string, size: { width: number; height: number }): number[][] {
  if (!Array.isArray(v)) throw new Error(`${field} is not an array of [x, y] points`)
  const ring = v.map((p, i) => {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number')
      throw new Error(`${field}[${i}] is not an [x, y] point of numbers`)
    const [x, y] = p as number[]
    if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x > size.width || y > size.height)
      throw new Error(
        `${field}[${i}] is [${x}, ${y}], outside the ${size.width}×${size.height} image: is this the file of another image?`,
      )
    return [x, y]
  })
  const [first, last] = [ring[0], ring.at(-1)]
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([...first])
  if (ring.length < 4) throw new Error(`${field} has ${v.length} points; a ring needs at least 3 corners`)
  return ring
}

function readPolygon(v: unknown, field: string, size: { width: number; height: number }): PolygonRings {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`${field} is not an array of rings`)
  return v.map((ring, i) => readRing(ring, `${field}[${i}]`, size))
}

/** A geometry's polygons; null when it has no area (points, lines). */
function readGeometry(
  g: unknown,
  field: string,
  size: { width: number; height: number },
): PolygonRings[] | null {
  if (!isObject(g)) throw new Error(`${field} is missing or not an object`)
  switch (g.type) {
    case 'Polygon':
      return [readPolygon(g.coordinates, `${field}.coordinates`, size)]
    case 'MultiPolygon':
      if (!Array.isArray(g.coordinates)) throw new Error(`${field}.coordinates is not an array of polygons`)
      return g.coordinates.map((p, i) => readPolygon(p, `${field}.coordinates[${i}]`, size))
    case 'GeometryCollection': {
      if (!Array.isArray(g.geometries)) throw new Error(`${field}.geometries is not an array`)
      const parts = g.geometries.flatMap((m, i) => readGeometry(m, `${field}.geometries[${i}]`, size) ?? [])
      return parts.length ? parts : null
    }
    case 'Point':
    case 'MultiPoint':
    case 'LineString':
    case 'MultiLineString':
      return null
    default:
      throw new Error(`${field}.type is ${JSON.stringify(g.type)}, not a GeoJSON geometry`)
  }
}

function readColor(c: Record<string, unknown>): string | null {
  const v = c.color
  if (Array.isArray(v) && v.length === 3 && v.every((k) => Number.isInteger(k) && k >= 0 && k <= 255))
    return hex(v[0], v[1], v[2])
  if (typeof c.colorRGB === 'number') {
    const p = c.colorRGB >>> 0
    return hex((p >> 16) & 255, (p >> 8) & 255, p & 255)
  }
  return null
}

/**
 * Reads QuPath GeoJSON text for an image of `size`: every area feature with its class name, in file order.
 * Throws on anything malformed, naming the field (the caller adds the file).
 */
export function readQuPathGeoJson(text: string, size: { width: number; height: number }): ReadGeoJson {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new Error(`is not readable JSON: ${(e as Error).message}`)
  }
  let features: unknown[]
  let base = 'features'
  if (Array.isArray(doc)) [features, base] = [doc, '']
  else if (isObject(doc) && doc.type === 'FeatureCollection' && Array.isArray(doc.features))
    features = doc.features
  else if (isObject(doc) && doc.type === 'Feature') [features, base] = [[doc], '']
  else throw new Error('is neither a GeoJSON FeatureCollection, a Feature nor an array of features')
  const shapes: ReadShape[] = []
  const skipped: ReadGeoJson['skipped'] = []
  features.forEach((f, i) => {
    const where = `${base}[${i}]`
    if (!isObject(f) || (f.type !== undefined && f.type !== 'Feature'))
      throw new Error(`${where} is not a GeoJSON Feature`)
    const props = f.properties === undefined || f.properties === null ? {} : f.properties
    if (!isObject(props)) throw new Error(`${where}.properties is not an object`)
    const declared = props.objectType ?? props.object_type ?? props.type
    const legacy = typeof f.id === 'string' ? LEGACY_TYPES[f.id] : undefined
    const objectType = typeof declared === 'string' ? declared : (legacy ?? 'unknown')
    const polygons = readGeometry(f.geometry, `${where}.geometry`, size)
    if (!AREA_OBJECTS.has(objectType)) return skipped.push({ where, why: `a ${objectType}, not a region` })
    if (!polygons)
      return skipped.push({ where, why: `a ${(f.geometry as { type: string }).type}, which has no area` })
    const c = props.classification
    if (c !== undefined && c !== null && (!isObject(c) || typeof c.name !== 'string'))
      throw new Error(`${where}.properties.classification has no "name" string`)
    shapes.push({
      where,
      objectType,
      className: isObject(c) ? (c.name as string) : null,
      color: isObject(c) ? readColor(c) : null,
      polygons,
    })
  })
  return { shapes, skipped }
}
