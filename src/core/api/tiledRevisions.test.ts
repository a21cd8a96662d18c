import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeMaskPng, putMask } from '../data/maskRaster'
import { loadComposedMask } from '../data/tiledMask'
import { exportAnnotations } from '../export/annotationExport'
import { referencedBlobs, removeUnreferencedBlobs } from '../store/blobGarbage'
import { insertImage } from '../store/images'
import { manifestTiles, parseMaskManifest } from '../store/maskManifest'
import { commitMaskRevision, maskHead } from '../store/masks'
import { createProject, openProject } from '../store/project'
import { annotationHandlers } from './annotationHandlers'
import type { Session } from './session'
import { viewerHandlers } from './viewerHandlers'
import { testSession } from './fixtures/testSession'

// An image of 3 × 3 mask tiles (the last row and column cropped): its revisions are stored as tiles.
const W = 2500
const H = 2200
let dir: string
let projectDir: string
let session: Session
let h: ReturnType<typeof viewerHandlers>
let a: ReturnType<typeof annotationHandlers>
let imageId: number
const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64')

/** The mask as the annotator expects it after each step, kept by hand. */
const imported = new Uint8Array(W * H)
for (let y = 100; y < 1900; y++) imported.fill(1, y * W + 200, y * W + 2300)
function painted(base: Uint8Array, x: number, y: number, w: number, hgt: number, value: number) {
  const out = new Uint8Array(base)
  for (let r = y; r < y + hgt; r++) out.fill(value, r * W + x, r * W + x + w)
  return out
}
const stroke1 = painted(imported, 1000, 1000, 40, 30, 2) // inside tile 0,0
const stroke2 = painted(stroke1, 2100, 2150, 50, 50, 2) // tile 2,2 (cropped) only

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-tiled-revisions-'))
  projectDir = path.join(dir, 'p')
  const p = createProject(projectDir, {
    name: 'tiled revisions',
    labelMode: 'multi-class',
    classes: [{ name: 'tumour', color: '#ff0000' }],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#eee' } })
    .png()
    .toBuffer()
  imageId = insertImage(p, {
    blob: p.blobs.put(png),
    name: 'big.png',
    width: W,
    height: H,
    channels: 3,
    format: 'png',
  })
  // The mask it came with: one whole PNG, as imports and older versions write it.
  commitMaskRevision(p, imageId, await putMask(p, { width: W, height: H, data: imported }), 'import')
  session = testSession(dir, p)
  h = viewerHandlers(session)
  a = annotationHandlers(session)
})
afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function headRaster(): Promise<Uint8Array> {
  const p = session.requireProject()
  return (await loadComposedMask(p, maskHead(p, imageId)!.blob)).data
}
const same = (x: Uint8Array, y: Uint8Array) => Buffer.from(x).equals(Buffer.from(y))

describe('mask revisions stored as changed tiles', () => {
  it('writes only the tiles a stroke touched, and undo, redo and reopening read back every revision exactly', async () => {
    const p = session.requireProject()
    const patch = (x: number, y: number, w: number, hgt: number) => ({
      x,
      y,
      width: w,
      height: hgt,
      data: b64(new Uint8Array(w * hgt).fill(2)),
    })
    await h['viewer.maskPatch']({ imageId, patches: [patch(1000, 1000, 40, 30)], amend: null })
    const first = parseMaskManifest(p.blobs.get(maskHead(p, imageId)!.blob))!
    expect(first, 'the first stroke on a whole-PNG mask writes a manifest of tiles').not.toBeNull()
    expect(Object.keys(first.tiles).sort()).toEqual(['0,0', '0,1', '1,0', '1,1', '2,0', '2,1'])
    expect(same(await headRaster(), stroke1)).toBe(true)

    const blobsBefore = new Set(p.blobs.list())
    await h['viewer.maskPatch']({ imageId, patches: [patch(2100, 2150, 50, 50)], amend: null })
    const second = parseMaskManifest(p.blobs.get(maskHead(p, imageId)!.blob))!
    // One new tile and the manifest: every other tile is the first revision's blob.
    expect(Object.keys(second.tiles).sort()).toEqual([...Object.keys(first.tiles), '2,2'].sort())
    for (const k of Object.keys(first.tiles)) expect(second.tiles[k]).toBe(first.tiles[k])
    expect(p.blobs.list().filter((b) => !blobsBefore.has(b))).toHaveLength(2)
    expect(same(await headRaster(), stroke2)).toBe(true)

    await a['mask.undo']({ imageId })
    expect(same(await headRaster(), stroke1)).toBe(true)
    await a['mask.undo']({ imageId })
    expect(maskHead(p, imageId)!.kind).toBe('import')
    expect(same(await headRaster(), imported)).toBe(true)
    await a['mask.redo']({ imageId })
    await a['mask.redo']({ imageId })
    expect(same(await headRaster(), stroke2)).toBe(true)

    // The orphan sweep sees every tile the revisions name: sweeping every blob removes none of them.
    const refs = referencedBlobs(p)
    for (const t of [...Object.values(first.tiles), ...Object.values(second.tiles)])
      expect(refs.has(t)).toBe(true)
    expect(manifestTiles(p, maskHead(p, imageId)!.blob)).toHaveLength(7)
    removeUnreferencedBlobs(p, p.blobs.list())

    // Reopened, the history is the same.
    session.close()
    const reopened = openProject(projectDir)
    session.adopt(reopened)
    expect(same(await headRaster(), stroke2)).toBe(true)
    await a['mask.undo']({ imageId })
    expect(same(await headRaster(), stroke1)).toBe(true)
    await a['mask.redo']({ imageId })
  })

  it('exports the composed mask as one PNG', async () => {
    const out = path.join(dir, 'export')
    const s = await exportAnnotations(session.requireProject(), out, { maskValues: 'index' })
    expect(s.masks).toBe(1)
    const png = await decodeMaskPng(fs.readFileSync(path.join(out, 'masks', 'big.png')), 'export')
    expect(same(png.data, stroke2)).toBe(true)
  })
})
