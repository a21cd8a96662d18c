import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../shared/events'
import { loadMaskBlob, putMask } from '../data/maskRaster'
import { insertImage } from '../store/images'
import { listMaskClasses } from '../store/maskClasses'
import { commitMaskRevision, maskHead } from '../store/masks'
import { createProject } from '../store/project'
import { dispatch } from './dispatch'
import { createHandlers } from './handlers'
import type { Session } from './session'
import { testSession } from './fixtures/testSession'

// QuPath GeoJSON through the API: the export methods write it (to a folder or a zip), and an import job
// (import.start, format geojson) reads QuPath's files into masks, classes by name, all or nothing.
const W = 40
const H = 30
let dir = ''
let session: Session
let imageId = 0
let mask: Uint8Array
let call: (method: string, input: unknown) => Promise<unknown>

/** Tumor (1): a block with a hole; Stroma (2): a strip. */
function drawnMask(): Uint8Array {
  const m = new Uint8Array(W * H)
  for (let y = 3; y < 20; y++) for (let x = 4; x < 25; x++) m[y * W + x] = 1
  for (let y = 8; y < 12; y++) for (let x = 10; x < 14; x++) m[y * W + x] = 0
  for (let y = 22; y < 28; y++) for (let x = 2; x < 38; x++) m[y * W + x] = 2
  return m
}

/** A file as QuPath 0.5 writes it (File › Export objects as GeoJSON): one detection of `className`. */
function quPathFile(className: string, square: [number, number, number, number]): string {
  const [x0, y0, x1, y1] = square
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: '0c2f4e9a-4b6d-4c0e-9a55-1d3a9f4b7e21',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x0, y0],
              [x1, y0],
              [x1, y1],
              [x0, y1],
              [x0, y0],
            ],
          ],
        },
        properties: {
          objectType: 'detection',
          classification: { name: className, color: [16, 32, 48] },
          isLocked: false,
        },
      },
    ],
  })
}

/** Runs an import job to its end. */
async function importJob(input: Record<string, unknown>): Promise<JobState> {
  const { jobId } = (await call('import.start', { format: 'geojson', ...input })) as { jobId: string }
  return session.jobs.wait(jobId)
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-geojson-api-'))
  session = testSession(dir)
  const handlers = createHandlers(session)
  call = async (method, input) => {
    const r = await dispatch(handlers, method, input)
    if (!r.ok) throw new Error(r.error.message)
    return r.result
  }
  const p = createProject(path.join(dir, 'p'), {
    name: 'qupath',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [
      { name: 'Tumor', color: '#c80000' },
      { name: 'Stroma', color: '#96c896' },
    ],
  })
  const png = await sharp({ create: { width: W, height: H, channels: 3, background: '#eee' } })
    .png()
    .toBuffer()
  imageId = insertImage(p, {
    blob: p.blobs.put(png),
    name: 'case 7.png',
    width: W,
    height: H,
    channels: 3,
    format: 'png',
  })
  mask = drawnMask()
  commitMaskRevision(p, imageId, await putMask(p, { width: W, height: H, data: mask }), 'edit')
  session.adopt(p)
})
afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('QuPath GeoJSON through the API', () => {
  it('annotations.export writes one QuPath file per image, one classified annotation per mask class', async () => {
    const out = path.join(dir, 'geojson-out')
    const r = await call('annotations.export', { dir: out, format: 'geojson' })
    expect(r).toEqual({
      format: 'geojson',
      dir: out,
      images: 1,
      features: 2,
      files: [path.join(out, 'case 7.geojson')],
    })
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'case 7.geojson'), 'utf8'))
    expect(doc.type).toBe('FeatureCollection')
    expect(doc.features.map((f: { properties: unknown }) => f.properties)).toEqual([
      { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } },
      { objectType: 'annotation', classification: { name: 'Stroma', color: [150, 200, 150] } },
    ])
    // The block's hole is the Tumor polygon's second ring.
    expect(doc.features[0].geometry.coordinates).toHaveLength(2)
  })

  it('annotations.exportZip offers the same files as a zip download', async () => {
    const r = (await call('annotations.exportZip', { format: 'geojson' })) as Record<string, unknown>
    expect(r).toMatchObject({ format: 'geojson', fileName: 'qupath-geojson.zip', images: 1, features: 2 })
    expect(r.files).toEqual(['case 7.geojson'])
    const offered = session.downloads.take(r.downloadId as string)!
    expect(fs.statSync(offered.file).size).toBeGreaterThan(0)
  })

  it('an import job reads the export back into the same pixels, as a new revision', async () => {
    const before = maskHead(session.requireProject(), imageId)!
    const job = await importJob({ path: path.join(dir, 'geojson-out') })
    expect(job.status).toBe('succeeded')
    expect(job.result).toEqual({ masks: 1, features: 2, skipped: [], maskClassesAdded: [] })
    const head = maskHead(session.requireProject(), imageId)!
    expect(head.id).not.toBe(before.id)
    expect(head.kind).toBe('import')
    expect((await loadMaskBlob(session.requireProject(), head.blob)).data).toEqual(mask)
  })

  it('refuses an unknown class or a point off the image naming the file and field; nothing changes', async () => {
    const p = session.requireProject()
    const head = maskHead(p, imageId)!
    const classes = listMaskClasses(p)
    const inbox = path.join(dir, 'inbox')
    fs.mkdirSync(inbox)
    const file = path.join(inbox, 'case 7.geojson')
    fs.writeFileSync(file, quPathFile('Necrosis', [5, 5, 15, 15]))
    const unknown = await importJob({ path: file })
    expect(unknown.status).toBe('failed')
    expect(unknown.error).toBe(
      'case 7.geojson features[0]: class "Necrosis" is not a mask class of this project (Tumor, Stroma): ' +
        'add it, or let the import create it',
    )
    fs.writeFileSync(file, quPathFile('Stroma', [5, 5, 15, 31]))
    const outside = await importJob({ path: inbox })
    expect(outside.status).toBe('failed')
    expect(outside.error).toMatch(
      /^case 7\.geojson features\[0\]\.geometry\.coordinates\[0\]\[2\] is \[15, 31\], outside the 40×30 image/,
    )
    expect(maskHead(p, imageId)!.id).toBe(head.id)
    expect(listMaskClasses(p)).toEqual(classes)
  })

  it('adds the classes a file names when asked, and paints its objects', async () => {
    const p = session.requireProject()
    const file = path.join(dir, 'case 7.json')
    fs.writeFileSync(file, quPathFile('Necrosis', [5, 5, 15, 15]))
    const job = await importJob({ path: file, createClasses: true })
    expect(job.status).toBe('succeeded')
    expect(job.result).toMatchObject({ masks: 1, features: 1, maskClassesAdded: ['Necrosis'] })
    const necrosis = listMaskClasses(p).find((c) => c.name === 'Necrosis')!
    expect(necrosis).toMatchObject({ value: 3, color: '#102030' })
    const got = (await loadMaskBlob(p, maskHead(p, imageId)!.blob)).data
    const painted = [...got.keys()].filter((i) => got[i] === 3)
    expect(painted).toHaveLength(10 * 10)
    expect(painted[0]).toBe(5 * W + 5)
  })
})
