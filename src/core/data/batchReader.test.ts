import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listImages } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { writeFolderDataset } from './datasetFixtures'
import { importDataset } from './importDataset'
import { createBatchReader } from './batchReader'
import { inOrder } from './inOrder'
import { putMask } from './maskRaster'
import { modelInputMask, modelInputPixels } from './modelInput'
import { prefetched } from './prefetch'
import { readRgb } from './tileImage'
import { openStoredMask } from './tiledMask'
import { listTrainingSamples } from './trainingSamples'

let project: Project
const dirs: string[] = []

beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-reader-'))
  dirs.push(root)
  // Six small images (one tile each: read whole) and a 40×30 "slide" cut into 16-px tiles.
  await writeFolderDataset(
    path.join(root, 'dataset'),
    [
      { name: 'slide.png', width: 40, height: 30, labels: [0, 1], mask: true },
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) => ({
        name: `${n}.png`,
        width: 10 + i,
        height: 12,
        labels: [i % 2],
        mask: true,
      })),
    ],
    ['Nevus', 'Melanoma'],
  )
  project = createProject(path.join(root, 'project'), { name: 't', labelMode: 'multi-class', classes: [] })
  await importDataset(project, { format: 'folder', path: path.join(root, 'dataset') }, { tileSize: 16 })
})

afterAll(() => {
  closeProject(project)
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

const wholeImages = () => listImages(project).filter((i) => i.tileCount <= 1)

describe('listTrainingSamples', () => {
  it('gives one sample per whole image, with its labels, and a slide tile by tile', () => {
    const images = listImages(project)
    const slide = images.find((i) => i.tileCount > 1)!
    const samples = listTrainingSamples(project, images)
    const ofSlide = samples.filter((s) => s.imageId === slide.id)
    expect(ofSlide.length).toBe(slide.tileCount)
    expect(ofSlide.every((s) => s.tile !== null && s.blob === s.tile.blob)).toBe(true)
    const field = images.find((i) => i.tileCount <= 1)!
    const one = samples.filter((s) => s.imageId === field.id)
    expect(one).toHaveLength(1)
    expect(one[0]).toMatchObject({ blob: field.blob, tile: null, labels: field.labels })
    expect(() => listTrainingSamples(project, images, { tiles: false })).toThrow(
      new RegExp(`Image ${slide.name} \\(id ${slide.id}\\) is stored as 6 tiles`),
    )
  })
})

describe('createBatchReader', () => {
  it('reads whole images with their labels as the model is fed them', async () => {
    const images = wholeImages()
    const samples = listTrainingSamples(project, images, { tiles: false })
    const reader = createBatchReader(project, samples, { size: 24, redChannel: true })
    const b = await reader.read([3, 1])
    expect(b.pixels.length).toBe(2 * 24 * 24 * 3)
    expect(b.masks).toBeNull()
    expect(b.imageIds).toEqual([images[3].id, images[1].id])
    expect(b.labels).toEqual([images[3].labels, images[1].labels])
    expect(b.labels[0].length).toBeGreaterThan(0)
    const expected = modelInputPixels(await readRgb(project.blobs.get(images[1].blob)), 24, true).data
    expect(Buffer.from(b.pixels.subarray(24 * 24 * 3)).equals(Buffer.from(expected))).toBe(true)
  })

  it('reads masks as class indices at the sample size, under each tile of a slide', async () => {
    const images = listImages(project).filter((i) => i.hasMask)
    const slide = images.find((i) => i.tileCount > 1)!
    const samples = listTrainingSamples(project, images)
    const reader = createBatchReader(project, samples, { size: 32, masks: true })
    const at = samples.findIndex((s) => s.imageId === slide.id && s.tile!.x > 0 && s.tile!.y > 0)
    const b = await reader.read([at])
    const t = samples[at].tile!
    const stored = await openStoredMask(project, slide.maskBlob!)
    const under = new Uint8Array(t.tileSize * t.tileSize)
    const r = await stored.region(t.x, t.y, t.width, t.height)
    for (let y = 0; r && y < t.height; y++)
      under.set(r.subarray(y * t.width, (y + 1) * t.width), y * t.tileSize)
    const expected = modelInputMask({ data: under, width: t.tileSize, height: t.tileSize, channels: 1 }, 32)
    expect(Array.from(b.masks!)).toEqual(Array.from(expected))
  })

  it('keeps mask classes apart (no binarising)', async () => {
    const [img] = wholeImages()
    const data = new Uint8Array(img.width * img.height)
    data.fill(3, 0, img.width * Math.floor(img.height / 4))
    data.fill(2, data.length - img.width * Math.floor(img.height / 4))
    const maskBlob = await putMask(project, { width: img.width, height: img.height, data })
    const [s] = listTrainingSamples(project, [img])
    const b = await createBatchReader(project, [{ ...s, maskBlob }], { size: 16, masks: true }).read([0])
    expect(new Set(b.masks)).toEqual(new Set([0, 2, 3]))
    expect(b.masks![0]).toBe(3)
    expect(b.masks![255]).toBe(2)
  })

  it('names the image whose mask is missing', async () => {
    const images = wholeImages()
    const samples = listTrainingSamples(project, images).map((s, i) =>
      i === 2 ? { ...s, maskBlob: null } : s,
    )
    const reader = createBatchReader(project, samples, { size: 16, masks: true })
    await expect(reader.read([0, 2])).rejects.toThrow(
      `Cannot read image ${images[2].name} (id ${images[2].id}): it has no mask`,
    )
  })

  it('decodes a cached sample once, and every time without a cache', async () => {
    const samples = listTrainingSamples(project, wholeImages())
    let reads = 0
    const counting = {
      ...project,
      blobs: { get: (h: string) => (reads++, project.blobs.get(h)) },
    } as unknown as typeof project
    const cached = createBatchReader(counting, samples, { size: 16 })
    const first = await cached.read([0, 1])
    const again = await cached.read([1, 0])
    expect(reads).toBe(2)
    expect(Buffer.from(again.pixels.subarray(0, 768)).equals(Buffer.from(first.pixels.subarray(768)))).toBe(
      true,
    )
    reads = 0
    const uncached = createBatchReader(counting, samples, { size: 16, cacheBytes: 0 })
    await uncached.read([0, 1])
    await uncached.read([1, 0])
    expect(reads).toBe(4)
  })

  it('streams a plan in order, batch by batch', async () => {
    const samples = listTrainingSamples(project, listImages(project))
    const reader = createBatchReader(project, samples, { size: 16, masks: true })
    const plan = inOrder(samples.length, 5)
    expect(plan.map((p) => p.length)).toEqual([5, 5, 2])
    const seen: number[][] = []
    for await (const b of reader.batches(plan)) seen.push(b.indices)
    expect(seen).toEqual(plan)
  })
})

describe('prefetched', () => {
  it('keeps at most `depth` reads ahead of the consumer and stops reading when the consumer stops', async () => {
    const started: number[] = []
    let pending = 0
    let most = 0
    const read = async (i: number) => {
      started.push(i)
      pending++
      most = Math.max(most, pending)
      await new Promise((r) => setTimeout(r, 1))
      pending--
      return i * 10
    }
    const out: number[] = []
    for await (const v of prefetched([0, 1, 2, 3, 4, 5, 6, 7], read, 2)) {
      out.push(v)
      // While the consumer works, the next two are being read, no more.
      expect(started.length).toBeLessThanOrEqual(out.length + 2)
      if (v === 30) break
    }
    expect(out).toEqual([0, 10, 20, 30])
    expect(most).toBeLessThanOrEqual(2)
    expect(started.length).toBeLessThanOrEqual(6)
    expect(started.length).toBeGreaterThanOrEqual(5)
  })

  it('reads nothing ahead at depth 0 and surfaces a failed read in its turn', async () => {
    const started: number[] = []
    const read = async (i: number) => {
      started.push(i)
      if (i === 2) throw new Error('bad blob 2')
      return i
    }
    const out: number[] = []
    await expect(
      (async () => {
        for await (const v of prefetched([0, 1, 2, 3], read, 0)) {
          expect(started.length).toBe(out.length + 1)
          out.push(v)
        }
      })(),
    ).rejects.toThrow('bad blob 2')
    expect(out).toEqual([0, 1])
  })
})
