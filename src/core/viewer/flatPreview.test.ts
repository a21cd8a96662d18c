import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { flatPreview, previewDownsample } from './flatPreview'
import { imagePyramid, pyramidTiles } from './imagePyramid'

// A flat 4,200 × 96 PNG: a left-to-right ramp, red on top, blue below. Its preview is at downsample 4.
const W = 4200
const H = 96
let dir: string
let file: string
let project: Project
let imageId: number

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-flat-preview-'))
  const rgb = Buffer.alloc(W * H * 3)
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) rgb[(y * W + x) * 3 + (y < H / 2 ? 0 : 2)] = Math.round((255 * x) / W)
  file = path.join(dir, 'flat.png')
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(file)
  project = createProject(path.join(dir, 'p'), { name: 'flat', labelMode: 'multi-class', classes: [] })
  const blob = project.blobs.put(fs.readFileSync(file))
  imageId = insertImage(project, { blob, name: 'flat.png', width: W, height: H, channels: 3, format: 'png' })
})
afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const mean = async (jpeg: Buffer, channel: number, x0: number, x1: number) => {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true })
  let sum = 0
  for (let x = x0; x < x1; x++) sum += data[(2 * info.width + x) * info.channels + channel]
  return sum / (x1 - x0)
}

describe('a flat image before its pyramid is built', () => {
  it('shrinks to the power-of-two level that fits 2,048 pixels', () => {
    expect(previewDownsample(20_000, 20_000)).toBe(16)
    expect(previewDownsample(2048, 10)).toBe(1)
    expect(previewDownsample(10, 2049)).toBe(2)
    expect(previewDownsample(W, H)).toBe(4)
  })

  it('reads its preview like a one-level slide at that level, white outside', async () => {
    const none = { vendor: 'tiff', mppX: null, mppY: null, magnification: null, scanner: null }
    const r = await flatPreview(file, W, H, none)
    expect(r.levels).toEqual([{ width: 1050, height: 24, downsample: 4 }])
    const region = await r.readRegion(0, 1048, 0, 4, 2)
    // The ramp's right end, red, then two columns past the image: white.
    expect(region.data[0]).toBeGreaterThan(240)
    expect([...region.data.subarray(2 * 3, 4 * 3)]).toEqual([255, 255, 255, 255, 255, 255])
    await expect(r.readRegion(1, 0, 0, 1, 1)).rejects.toThrow(/one level/)
  })

  it('answers the viewer at once and serves coarse tiles from the preview, the same as the pyramid’s', async () => {
    const pyramidFile = path.join(
      project.dir,
      'cache',
      'pyramid',
      `${project.db.prepare('SELECT blob FROM images').pluck().get()}.tif`,
    )
    const pyr = await imagePyramid(project, imageId)
    expect(pyr.levels.map((l) => l.width)).toEqual([4200, 2100, 1050, 525, 263])
    expect(pyr.physical.formatName).toBe('PNG')
    // The answer did not wait for the pyramid, which is built after the preview.
    expect(fs.existsSync(pyramidFile)).toBe(false)
    const [early] = await pyramidTiles(project, imageId, 2, [[1, 0]])
    // Level 0 is read from the full pyramid, so it waits for it.
    const [fine] = await pyramidTiles(project, imageId, 0, [[8, 0]])
    expect(fs.existsSync(pyramidFile)).toBe(true)
    expect((await sharp(project.blobs.get(fine)).metadata()).width).toBe(104) // 4200 − 8·512
    // Level 2, tile 1 covers level-0 x 2048…4095: the ramp from 128 to 248 in red, the same either way.
    const fromPreview = await mean(project.blobs.get(early), 0, 0, 512)
    expect(Math.abs(fromPreview - (255 * 3072) / W)).toBeLessThan(4)
  })
})
