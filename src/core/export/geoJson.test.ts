import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMaskBlob, putMask } from '../data/maskRaster'
import { openStoredMask } from '../data/tiledMask'
import { insertImage } from '../store/images'
import { listMaskClasses } from '../store/maskClasses'
import { commitMaskRevision, maskHead, maskHistoryDepth } from '../store/masks'
import { closeProject, createProject, type Project } from '../store/project'
import { exportGeoJson } from './geoJsonExport'
import { importGeoJson } from './geoJsonImport'

const dirs: string[] = []
const projects: Project[] = []
afterEach(() => {
  for (const p of projects.splice(0)) closeProject(p)
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-geojson-'))
  dirs.push(d)
  return d
}

const W = 24
const H = 20

async function makeProject(size = { width: W, height: H }): Promise<{ p: Project; imageId: number }> {
  const p = createProject(path.join(tempDir(), 'p'), {
    name: 'geojson test',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [
      { name: 'Tumor', color: '#c80000' },
      { name: 'Stroma', color: '#96c896' },
    ],
  })
  projects.push(p)
  // Only the size matters here: the pixels stand in for the image (never decoded).
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#eee' } })
    .png()
    .toBuffer()
  const imageId = insertImage(p, {
    blob: p.blobs.put(png),
    name: 'slides/case 1.svs',
    channels: 3,
    format: 'png',
    ...size,
  })
  return { p, imageId }
}

/** Tumor (1) as a ring around a hole holding Stroma (2), Stroma touching Tumor, pixels touching at corners. */
function generatedMask(): Uint8Array {
  const m = new Uint8Array(W * H)
  const set = (x: number, y: number, v: number) => (m[y * W + x] = v)
  for (let y = 2; y < 14; y++) for (let x = 2; x < 16; x++) set(x, y, 1)
  for (let y = 5; y < 10; y++) for (let x = 5; x < 11; x++) set(x, y, 0)
  for (let y = 6; y < 9; y++) for (let x = 6; x < 9; x++) set(x, y, 2)
  for (let y = 2; y < 14; y++) for (let x = 16; x < 20; x++) set(x, y, 2) // touches the Tumor ring
  set(20, 14, 1) // corner to corner with the Stroma block
  set(21, 15, 1)
  for (let x = 0; x < W; x++) set(x, H - 1, 2) // along the image's edge
  return m
}

/** A file as QuPath 0.5 writes it (File › Export objects as GeoJSON, "Export as FeatureCollection"). */
const QUPATH_FILE = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: '0f6a7c6e-6b1f-4f3e-9d1a-3c2f8f1b2a10',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [2, 2],
            [12, 2],
            [12, 10],
            [2, 10],
            [2, 2],
          ],
          [
            [4, 4],
            [4, 6],
            [6, 6],
            [6, 4],
            [4, 4],
          ],
        ],
      },
      properties: {
        objectType: 'annotation',
        classification: { name: 'Tumor', color: [200, 0, 0] },
        isLocked: true,
        measurements: { 'Area µm^2': 80.0 },
      },
    },
    {
      type: 'Feature',
      id: '5a7b2e34-8d1c-4b9a-a1f0-6e2d9c3b4f21',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [14, 2],
              [16, 2],
              [16, 4],
              [14, 4],
              [14, 2],
            ],
          ],
          [
            [
              [18, 12],
              [20, 12],
              [20, 13],
              [18, 13],
              [18, 12],
            ],
          ],
        ],
      },
      properties: { objectType: 'annotation', classification: { name: 'Stroma', color: [150, 200, 150] } },
    },
    {
      type: 'Feature',
      id: '9c1d3e5f-7a2b-4c6d-8e0f-1a2b3c4d5e6f',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [10, 8],
            [11, 8],
            [11, 9],
            [10, 9],
            [10, 8],
          ],
        ],
      },
      nucleusGeometry: {
        type: 'Polygon',
        coordinates: [
          [
            [10.2, 8.2],
            [10.8, 8.2],
            [10.8, 8.8],
            [10.2, 8.2],
          ],
        ],
      },
      properties: { objectType: 'cell', classification: { name: 'Stroma', color: [150, 200, 150] } },
    },
    {
      type: 'Feature',
      id: '2b4d6f80-1a3c-4e5f-9a7b-c8d9e0f1a2b3',
      geometry: { type: 'Point', coordinates: [3, 15] },
      properties: { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } },
    },
  ],
}

describe('QuPath GeoJSON export and import', () => {
  it('writes annotations as QuPath does and reads them back to the same pixels', async () => {
    const { p, imageId } = await makeProject()
    const mask = generatedMask()
    commitMaskRevision(p, imageId, await putMask(p, { width: W, height: H, data: mask }), 'edit')
    const out = path.join(tempDir(), 'geojson')
    const summary = await exportGeoJson(p, out)
    expect(summary).toMatchObject({ images: 1, features: 2 })
    const file = path.join(out, 'slides_case 1.geojson')
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(doc.type).toBe('FeatureCollection')
    expect(doc.features.map((f: { properties: unknown }) => f.properties)).toEqual([
      { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } },
      { objectType: 'annotation', classification: { name: 'Stroma', color: [150, 200, 150] } },
    ])
    for (const f of doc.features) {
      expect(f.type).toBe('Feature')
      expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(f.geometry.type).toBe('MultiPolygon')
    }
    // Tumor: the ring (with its hole) and the two corner-touching pixels, three polygons.
    expect(doc.features[0].geometry.coordinates.map((poly: unknown[]) => poly.length)).toEqual([2, 1, 1])

    const before = maskHistoryDepth(p, imageId).undo
    const r = await importGeoJson(p, file)
    expect(r).toMatchObject({ masks: 1, features: 2, skipped: [], maskClassesAdded: [] })
    const head = maskHead(p, imageId)!
    expect(head.kind).toBe('import')
    expect(maskHistoryDepth(p, imageId).undo).toBe(before + 1)
    expect((await loadMaskBlob(p, head.blob)).data).toEqual(mask)
  })

  it('imports a file in QuPath’s exact shape: holes, MultiPolygon, cells painted over annotations, points left out', async () => {
    const { p, imageId } = await makeProject()
    const file = path.join(tempDir(), 'case 1.geojson')
    fs.writeFileSync(file, JSON.stringify(QUPATH_FILE, null, 2))
    const r = await importGeoJson(p, file)
    expect(r.masks).toBe(1)
    expect(r.features).toBe(3)
    expect(r.skipped).toEqual([`case 1.geojson features[3]: a Point, which has no area`])
    const got = (await loadMaskBlob(p, maskHead(p, imageId)!.blob)).data
    const want = new Uint8Array(W * H)
    for (let y = 2; y < 10; y++) for (let x = 2; x < 12; x++) want[y * W + x] = 1
    for (let y = 4; y < 6; y++) for (let x = 4; x < 6; x++) want[y * W + x] = 0
    for (let y = 2; y < 4; y++) for (let x = 14; x < 16; x++) want[y * W + x] = 2
    for (let x = 18; x < 20; x++) want[12 * W + x] = 2
    want[8 * W + 10] = 2 // the cell, over the Tumor annotation
    expect(got).toEqual(want)
  })

  it('reads a bare array of features and can add the classes it names', async () => {
    const { p } = await makeProject()
    const file = path.join(tempDir(), 'case 1.json')
    const [first] = QUPATH_FILE.features
    const necrosis = {
      ...first,
      properties: { objectType: 'detection', classification: { name: 'Necrosis', color: [16, 32, 48] } },
    }
    fs.writeFileSync(file, JSON.stringify([necrosis]))
    await expect(importGeoJson(p, file)).rejects.toThrow(
      `case 1.json [0]: class "Necrosis" is not a mask class of this project (Tumor, Stroma)`,
    )
    const r = await importGeoJson(p, file, { createClasses: true })
    expect(r.maskClassesAdded).toEqual(['Necrosis'])
    expect(listMaskClasses(p).at(-1)).toMatchObject({ name: 'Necrosis', value: 3, color: '#102030' })
  })

  it('refuses bad input naming the file and field, and leaves the project as it was', async () => {
    const { p, imageId } = await makeProject()
    const mask = generatedMask()
    const blob = await putMask(p, { width: W, height: H, data: mask })
    commitMaskRevision(p, imageId, blob, 'edit')
    const dir = tempDir()
    const write = (name: string, text: string) => {
      const f = path.join(dir, name)
      fs.writeFileSync(f, text)
      return f
    }
    const outside = structuredClone(QUPATH_FILE)
    ;(outside.features[1].geometry.coordinates as number[][][][])[1][0][2] = [20, 20.5]
    const unclassified = structuredClone(QUPATH_FILE)
    delete (unclassified.features[0].properties as { classification?: unknown }).classification
    const cases: [() => string, RegExp][] = [
      [
        () => write('case 1.geojson', '{"type": "FeatureCollection", "features": [}'),
        /case 1\.geojson is not readable JSON/,
      ],
      [
        () => write('case 1.geojson', JSON.stringify(outside)),
        /case 1\.geojson features\[1\]\.geometry\.coordinates\[1\]\[0\]\[2\] is \[20, 20\.5\], outside the 24×20 image/,
      ],
      [
        () => write('other slide.geojson', JSON.stringify(QUPATH_FILE)),
        /other slide\.geojson: no image in this project is named like it/,
      ],
      [
        () => write('case 1.geojson', JSON.stringify({ type: 'Topology' })),
        /case 1\.geojson is neither a GeoJSON FeatureCollection/,
      ],
      [
        () => write('case 1.geojson', JSON.stringify(unclassified)),
        /case 1\.geojson features\[0\] has no classification/,
      ],
    ]
    const classes = listMaskClasses(p)
    for (const [writeFile, message] of cases) {
      const file = writeFile()
      await expect(importGeoJson(p, file)).rejects.toThrow(message)
      expect(maskHead(p, imageId)!.blob).toBe(blob)
      expect(listMaskClasses(p)).toEqual(classes)
      fs.rmSync(file)
    }
    // A folder is all or nothing: one good file and one bad, nothing imported.
    fs.writeFileSync(path.join(dir, 'case 1.geojson'), JSON.stringify(QUPATH_FILE))
    fs.writeFileSync(path.join(dir, 'zz.geojson'), JSON.stringify(QUPATH_FILE))
    await expect(importGeoJson(p, dir)).rejects.toThrow(/zz\.geojson: no image/)
    expect(maskHead(p, imageId)!.blob).toBe(blob)
    const r = await importGeoJson(p, path.join(dir, 'case 1.geojson'), { skipUnclassified: true })
    expect(r.masks).toBe(1)
  })

  it('fills a slide’s mask tile by tile and traces it back to the same outlines', async () => {
    const { p, imageId } = await makeProject({ width: 50_000, height: 40_000 })
    const square = (x0: number, y0: number, x1: number, y1: number) => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ]
    const ring = [square(1000, 1000, 1100, 1060), [...square(1030, 1020, 1040, 1030)].reverse()]
    const file = path.join(tempDir(), 'case 1.geojson')
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'MultiPolygon', coordinates: [ring, [square(49_990, 39_000, 50_000, 40_000)]] },
            properties: { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } },
          },
        ],
      }),
    )
    const before = process.memoryUsage().rss
    await importGeoJson(p, file)
    expect(process.memoryUsage().rss - before).toBeLessThan(400 << 20)
    const head = maskHead(p, imageId)!
    const manifest = JSON.parse(p.blobs.get(head.blob).toString()) as { tiles: Record<string, string> }
    // The ring crosses from tile 0,0 into 1,0 (x ≥ 1024) and 0,1 / 1,1 (y ≥ 1024); the square in 48,38 and 48,39.
    expect(Object.keys(manifest.tiles).sort()).toEqual(['0,0', '0,1', '1,0', '1,1', '48,38', '48,39'])
    const stored = await openStoredMask(p, head.blob)
    const at = async (x: number, y: number) => (await stored.region(x, y, 1, 1))?.[0] ?? 0
    expect([await at(1000, 1000), await at(1035, 1025), await at(1099, 1059), await at(1100, 1059)]).toEqual([
      1, 0, 1, 0,
    ])

    const out = path.join(tempDir(), 'out')
    await exportGeoJson(p, out)
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'slides_case 1.geojson'), 'utf8'))
    const [shell, hole] = doc.features[0].geometry.coordinates[0]
    expect(doc.features[0].geometry.coordinates).toHaveLength(2)
    expect(new Set(shell.map(String))).toEqual(new Set(ring[0].map(String)))
    expect(new Set(hole.map(String))).toEqual(new Set(ring[1].map(String)))
  })
})
