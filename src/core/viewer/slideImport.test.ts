import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { importImages } from '../data/importImages'
import { ImportError } from '../data/importError'
import { listImages, listTiles } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { slideInfo } from '../store/slideInfo'
import { imagePyramid, pyramidTiles } from './imagePyramid'
import { fixtureTools, makeNdpi, makeSvsLike, missingToolsMessage } from '../slide/fixtures/slideFixtures'
import { openSlideLibrary, resetOpenSlideLookup } from '../slide/openSlideLibrary'

const tools = fixtureTools.vips && fixtureTools.tifffile
if (!tools) console.warn(`Skipping slide import tests: ${missingToolsMessage}`)

let dir: string
let n = 0
const newProject = (): Project =>
  createProject(path.join(dir, `p${n++}`), { name: 'slides', labelMode: 'multi-class', classes: [] })

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-slide-import-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  delete process.env.S4MI_OPENSLIDE
  resetOpenSlideLookup()
})

describe.skipIf(!tools)('importing whole slides', () => {
  it('adds an SVS slide, tiles it through the slide reader, and the viewer shows its physical size', async () => {
    const file = await makeSvsLike(dir, 2500, { mpp: 0.5, appMag: 20 })
    const p = newProject()
    const s = await importImages(p, [file])
    expect(s).toMatchObject({ images: 1, tiles: 36 }) // ⌈2500 / 480⌉² tiles
    const [img] = listImages(p)
    expect([img.format, img.width, img.height]).toEqual(['svs', 2500, 2500])
    const tiles = listTiles(p, img.id)
    // A tile across the island's top-left corner (level-0 x 500, y 750) holds tissue and glass.
    const t = tiles.find((q) => q.x === 480 && q.y === 480)!
    const { data } = await sharp(p.blobs.get(t.blob)).raw().toBuffer({ resolveWithObject: true })
    expect(data[0]).toBeGreaterThan(235) // glass
    expect(data[(300 * 480 + 100) * 3 + 1]).toBeLessThan(200) // stained tissue is less green
    const pyr = await imagePyramid(p, img.id)
    expect(pyr.physical).toMatchObject({ formatName: 'Aperio SVS', mppX: 0.5, magnification: 20 })
    expect(pyr.levels.map((l) => l.width)).toEqual([2500, 1250, 625, 313])
    const [blob] = await pyramidTiles(p, img.id, 3, [[0, 0]])
    expect((await sharp(p.blobs.get(blob)).metadata()).width).toBe(313)
    closeProject(p)
  })

  it('stores the physical size and tiles a 40× scan at 20× (tiles of 960 level-0 pixels, 480 on disk)', async () => {
    const file = await makeSvsLike(dir, 3000, { mpp: 0.25, appMag: 40, name: 'forty.svs' })
    const p = newProject()
    const s = await importImages(p, [file], { tileScale: { magnification: 20 } })
    expect(s).toMatchObject({ images: 1, tiles: 16 }) // ⌈3000 / 960⌉²
    const [img] = listImages(p)
    expect(slideInfo(p, img.id)).toMatchObject({
      formatName: 'Aperio SVS',
      mppX: 0.25,
      magnification: 40,
      tileDownsample: 2,
    })
    const tiles = listTiles(p, img.id)
    expect(tiles[1]).toMatchObject({ x: 960, y: 0, width: 960, height: 960, tileSize: 960 })
    expect(tiles[tiles.length - 1]).toMatchObject({ x: 2880, y: 2880, width: 120, height: 120 })
    const meta = await sharp(p.blobs.get(tiles[0].blob)).metadata()
    expect([meta.width, meta.height]).toEqual([480, 480])
    // 40× from a 40× scan is the scan itself; 80× would be upsampling and is refused, leaving nothing behind.
    const q = newProject()
    await expect(importImages(q, [file], { tileScale: { magnification: 80 } })).rejects.toThrow(
      /forty\.svs: cannot be tiled at 80× \(the scan is 40×\): that is finer than it was scanned/,
    )
    expect(listImages(q)).toEqual([])
    closeProject(p)
    closeProject(q)
  })

  it('refuses an NDPI slide without OpenSlide with a clear message, and leaves the project as it was', async () => {
    process.env.S4MI_OPENSLIDE = 'off'
    resetOpenSlideLookup()
    const file = makeNdpi(dir, 1024, 768)
    const p = newProject()
    const err = (await importImages(p, [file]).catch((e: unknown) => e)) as ImportError
    expect(err).toBeInstanceOf(ImportError)
    expect(err.problems).toEqual([
      {
        file: 'slide-1024x768.ndpi',
        problem: expect.stringMatching(/^needs OpenSlide, .*install OpenSlide/),
      },
    ])
    expect(listImages(p)).toEqual([])
    expect(p.blobs.list()).toEqual([])
    closeProject(p)
  })

  it.skipIf(!openSlideLibrary())('imports an NDPI slide through OpenSlide when it is installed', async () => {
    const file = makeNdpi(dir, 1024, 768)
    const p = newProject()
    expect(await importImages(p, [file])).toMatchObject({ images: 1, tiles: 6 })
    const [img] = listImages(p)
    expect([img.format, img.width, img.height]).toEqual(['ndpi', 1024, 768])
    const pyr = await imagePyramid(p, img.id)
    expect(pyr.physical).toMatchObject({ formatName: 'Hamamatsu NDPI', magnification: 20 })
    closeProject(p)
  })
})
