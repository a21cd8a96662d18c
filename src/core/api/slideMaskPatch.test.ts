import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { maskHead } from '../store/masks'
import { createProject } from '../store/project'
import type { Session } from './session'
import { viewerHandlers } from './viewerHandlers'
import { annotationHandlers } from './annotationHandlers'
import { testSession } from './fixtures/testSession'

// A slide as big as a 50,000² one in its mask's eyes: the strokes must cost what they touch, not the slide.
const W = 50_000
const H = 40_000
let dir: string
let session: Session
let h: ReturnType<typeof viewerHandlers>
let a: ReturnType<typeof annotationHandlers>
let imageId: number
const b64 = (values: number[]) => Buffer.from(values).toString('base64')

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-slide-mask-'))
  const p = createProject(path.join(dir, 'p'), {
    name: 'slide masks',
    labelMode: 'multi-class',
    classes: [
      { name: 'tumour', color: '#ff0000' },
      { name: 'stroma', color: '#00ff00' },
    ],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  // Only the mask is exercised; the pixels stand in for a slide (never decoded here).
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#eee' } })
    .png()
    .toBuffer()
  imageId = insertImage(p, {
    blob: p.blobs.put(png),
    name: 'slide.svs',
    width: W,
    height: H,
    channels: 3,
    format: 'svs',
  })
  session = testSession(dir, p)
  h = viewerHandlers(session)
  a = annotationHandlers(session)
})
afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('annotating a whole slide', () => {
  it('stores strokes as mask tiles, reads them back, and undoes them', async () => {
    const before = process.memoryUsage().rss
    const s1 = await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 40_958, y: 30_000, width: 4, height: 1, data: b64([1, 1, 2, 2]) }],
      amend: null,
    })
    const s2 = await h['viewer.maskPatch']({
      imageId,
      patches: [{ x: 0, y: 0, width: 2, height: 2, data: b64([2, 0, 0, 2]) }],
      amend: null,
    })
    expect([s1.undo, s2.undo]).toEqual([1, 2])
    // Far below a raster of the slide (2 GB), with room for the process's own noise.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 << 20)
    const p = session.requireProject()
    const manifest = JSON.parse(p.blobs.get(maskHead(p, imageId)!.blob).toString()) as { tiles: object }
    expect(Object.keys(manifest.tiles).sort()).toEqual(['0,0', '39,29', '40,29'])
    // Viewer tiles of 512: (79, 58) holds x 40,448… and y 29,696…; the stroke sits at its right edge.
    const { tiles } = await h['viewer.maskTiles']({
      imageId,
      tileSize: 512,
      tiles: [
        [79, 58],
        [80, 58],
        [3, 3],
      ],
    })
    const left = Buffer.from(tiles[0]!, 'base64')
    expect([left[(30_000 - 29_696) * 512 + 510], left[(30_000 - 29_696) * 512 + 511]]).toEqual([1, 1])
    expect(Buffer.from(tiles[1]!, 'base64')[(30_000 - 29_696) * 512 + 1]).toBe(2)
    expect(tiles[2]).toBeNull()
    await expect(
      h['viewer.maskPatch']({
        imageId,
        patches: [{ x: W - 1, y: 0, width: 2, height: 1, data: b64([1, 1]) }],
        amend: null,
      }),
    ).rejects.toThrow(/reaches outside the 50000×40000 image/)
    await expect(
      h['viewer.maskPatch']({
        imageId,
        patches: [{ x: 0, y: 0, width: 1, height: 1, data: b64([3]) }],
        amend: null,
      }),
    ).rejects.toThrow(/class index 3; the largest mask class is 2/)
    await a['mask.undo']({ imageId })
    const back = await h['viewer.maskTiles']({
      imageId,
      tileSize: 512,
      tiles: [
        [0, 0],
        [79, 58],
      ],
    })
    expect(back.tiles[0]).toBeNull()
    expect(back.tiles[1]).not.toBeNull()
  })
})
