import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listImages, listTiles } from '../store/images'
import { closeProject, createProject } from '../store/project'
import { writeImage } from './datasetFixtures'
import { importImages } from './importImages'

const SIDE = 20_000
const PATCH = { left: 19_700, top: 12_345, width: 300, height: 200 }
let dir = ''

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-single-'))
  // A mostly flat slide keeps the fixture cheap; a red patch straddling tile borders checks placement.
  await sharp({
    create: { width: SIDE, height: SIDE, channels: 3, background: { r: 230, g: 220, b: 210 } },
    limitInputPixels: false,
  })
    .composite([
      {
        input: {
          create: {
            width: PATCH.width,
            height: PATCH.height,
            channels: 3,
            background: { r: 200, g: 0, b: 0 },
          },
        },
        left: PATCH.left,
        top: PATCH.top,
      },
    ])
    .tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'jpeg', quality: 90 })
    .toFile(path.join(dir, 'slide.tif'))
}, 120_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('single images', () => {
  it('adds PNG, JPEG and TIFF files as unlabelled, tiled images', async () => {
    const project = createProject(path.join(dir, 'small'), {
      name: 's',
      labelMode: 'multi-class',
      classes: [],
    })
    for (const [i, f] of ['a.png', 'b.jpg', 'c.tiff'].entries())
      await writeImage(path.join(dir, f), { width: 500, height: 100, seed: i })
    const s = await importImages(
      project,
      ['a.png', 'b.jpg', 'c.tiff'].map((f) => path.join(dir, f)),
    )
    expect(s).toMatchObject({ images: 3, tiles: 6, labelled: 0 })
    expect(listImages(project).map((i) => [i.name, i.format, i.labelled])).toEqual([
      ['a.png', 'png', false],
      ['b.jpg', 'jpeg', false],
      ['c.tiff', 'tiff', false],
    ])
    closeProject(project)
  })

  it('tiles a 20,000 × 20,000 pyramidal TIFF region by region, never holding it whole in JS memory', async () => {
    const project = createProject(path.join(dir, 'big'), { name: 'b', labelMode: 'multi-class', classes: [] })
    // The decoded slide would take 1.2 GB; sample what JS holds while it is imported.
    let peak = 0
    const sample = () => {
      const m = process.memoryUsage()
      peak = Math.max(peak, m.arrayBuffers + m.heapUsed)
    }
    const timer = setInterval(sample, 5)
    const s = await importImages(project, [path.join(dir, 'slide.tif')], { onProgress: sample }).finally(() =>
      clearInterval(timer),
    )
    expect(s).toMatchObject({ images: 1, tiles: 42 * 42 })
    expect(peak).toBeLessThan(400e6)
    const [img] = listImages(project)
    expect([img.width, img.height, img.format]).toEqual([SIDE, SIDE, 'tiff'])
    // The patch starts at x 19700 (tile column 41 from 19680) and y 12345 (tile row 25 from 12000).
    const tiles = listTiles(project, img.id)
    const t = tiles.find((q) => q.x === 19_680 && q.y === 12_000)!
    expect([t.width, t.height]).toEqual([320, 480])
    const raw = await sharp(project.blobs.get(t.blob)).raw().toBuffer()
    const px = (x: number, y: number) => [...raw.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 3)]
    const red = px(PATCH.left - 19_680 + 50, PATCH.top - 12_000 + 50)
    expect(red[0]).toBeGreaterThan(150)
    expect(red[1]).toBeLessThan(40)
    const skin = px(5, 5)
    expect(Math.abs(skin[0] - 230)).toBeLessThan(8)
    expect(px(400, 100)).toEqual([0, 0, 0]) // beyond the slide's right edge: blank padding
    closeProject(project)
  }, 240_000)
})
