import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { cropPadded, encodePng, tileGrid } from '../../data/tileImage'
import { loadComposedMask } from '../../data/tiledMask'
import { buildSeeded } from '../../models/nn/module'
import { Unet } from '../../models/unet/unet'
import { unetConfig } from '../../models/unet/unetConfig'
import { getImage, insertImage, insertTile, listImages } from '../../store/images'
import { imagePredictions, predictionProbabilityBlob } from '../../store/predictions'
import { closeProject, createProject, type Project } from '../../store/project'
import { createRun } from '../../store/runs'
import { PREDICTION_BATCH, type Predictor } from './predictionBatches'
import { storeImagePredictions, storeRunPredictions } from './slidePrediction'

// Which images count as slides too big to hold whole (a tiled mask): none, unless a test lowers the bar.
const tiledMaskAbove = vi.hoisted(() => ({ pixels: Infinity }))
vi.mock('../../data/tiledMask', async (actual) => ({
  ...(await actual<typeof import('../../data/tiledMask')>()),
  usesTiledMask: (s: { width: number; height: number }) => s.width * s.height > tiledMaskAbove.pixels,
}))

const W = 100
const H = 60
const TILE = 32
const WHOLE_IMAGES = 5
const SIZE = 32
const opts = { size: SIZE, redChannel: false, classes: 3 }

let dir: string
let project: Project
let slideId: number
let net: Unet

/**
 * A real network in evaluation mode, its logits plus the input's own colours (an untrained net answers much
 * the same for every input): every input's answer must be its own, whatever it is batched with.
 */
const batched: Predictor = (x) => tf.softmax(tf.add(net.forward(x), tf.mul(4, x))) as tf.Tensor4D

/** A predictor that notes how many inputs each call brought. */
function counted(predict: Predictor): { predict: Predictor; sizes: number[] } {
  const sizes: number[] = []
  return { sizes, predict: (x) => (sizes.push(x.shape[0]), predict(x)) }
}

function newRun(): number {
  return createRun(project, {
    task: 'segmentation',
    method: 'supervised',
    labelFraction: 1,
    seed: 0,
    config: {},
    datasetVersion: 'x',
  })
}

/** Every stored blob of a run: the mask and each probability map, per image. */
function storedBlobs(runId: number, images = listImages(project)): string[] {
  return images.flatMap((image) => {
    const p = imagePredictions(project, image.id).find((r) => r.runId === runId)!
    return [p.blob, ...p.probabilities.map((v) => predictionProbabilityBlob(project, runId, image.id, v))]
  })
}

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-predbatch-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
  net = buildSeeded(5, () => new Unet(unetConfig('unetTiny', { classes: opts.classes }))).eval()
  const picture = (k: number) => {
    // Noise from a small LCG seeded by k: every image and every tile of the slide differs.
    const rgb = new Uint8Array(W * H * 3)
    let state = k + 1
    for (let i = 0; i < rgb.length; i++)
      rgb[i] = (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) >>> 24
    return { data: rgb, width: W, height: H, channels: 3 }
  }
  const add = async (name: string, k: number) =>
    insertImage(project, {
      blob: project.blobs.put(await encodePng(picture(k))),
      name,
      width: W,
      height: H,
      channels: 3,
      format: 'png',
    })
  for (let k = 0; k < WHOLE_IMAGES; k++) await add(`field-${k}`, k)
  slideId = await add('slide', 99)
  for (const pos of tileGrid(W, H, TILE)) {
    insertTile(project, {
      imageId: slideId,
      tileSize: TILE,
      ...pos,
      blob: project.blobs.put(await encodePng(cropPadded(picture(99), pos, TILE, 0))),
    })
  }
})

afterAll(() => {
  net.dispose()
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('predicting a few model inputs at a time', () => {
  const SLIDE_TILES = tileGrid(W, H, TILE).length // 4 × 2

  it('gathers small images and a slide’s tiles into batches, and stores what one at a time stores', async () => {
    expect(SLIDE_TILES).toBe(8)
    const alone = counted(batched)
    const together = counted(batched)
    const aloneRun = newRun()
    const togetherRun = newRun()
    expect(await storeRunPredictions(project, aloneRun, alone.predict, { ...opts, batch: 1 })).toBe(
      WHOLE_IMAGES + 1,
    )
    const before = tf.memory().numTensors
    const progress: string[] = []
    expect(
      await storeRunPredictions(project, togetherRun, together.predict, opts, (p) =>
        progress.push(`${p.done}/${p.total} ${p.unit}`),
      ),
    ).toBe(WHOLE_IMAGES + 1)
    // Counted in model inputs, from none, a report after each batch.
    expect(progress).toEqual([0, 4, 8, 12, 13].map((n) => `${n}/13 images and tiles`))
    expect(tf.memory().numTensors).toBe(before)
    // 5 fields and 8 tiles, 13 inputs: four fields, then a field and the slide's 8 tiles (4, 4, 1).
    expect(alone.sizes).toEqual(Array(WHOLE_IMAGES + SLIDE_TILES).fill(1))
    expect(together.sizes).toEqual([4, 4, 4, 1])
    expect(together.sizes.every((n) => n <= PREDICTION_BATCH)).toBe(true)
    // Blobs are named by their content: equal names, equal masks and probability maps, byte for byte.
    expect(storedBlobs(togetherRun)).toEqual(storedBlobs(aloneRun))
    expect(new Set(storedBlobs(togetherRun)).size).toBeGreaterThan(WHOLE_IMAGES)
  })

  it('writes a slide too big to hold whole tile batch by tile batch, as one at a time does', async () => {
    tiledMaskAbove.pixels = W * H - 1
    try {
      const alone = counted(batched)
      const together = counted(batched)
      const slide = getImage(project, slideId)
      const aloneRun = newRun()
      const togetherRun = newRun()
      await storeImagePredictions(project, aloneRun, [slide], alone.predict, { ...opts, batch: 1 })
      await storeImagePredictions(project, togetherRun, [slide], together.predict, opts)
      expect(alone.sizes).toEqual(Array(SLIDE_TILES).fill(1))
      expect(together.sizes).toEqual([4, 4])
      const stored = (runId: number) => imagePredictions(project, slideId).find((r) => r.runId === runId)!
      expect(stored(togetherRun).blob).toBe(stored(aloneRun).blob)
      expect(storedBlobs(togetherRun, [slide])).toEqual(storedBlobs(aloneRun, [slide]))
      // The tiles do not overlap, so the tiled mask and its probability maps are, pixel for pixel, what
      // stitching the same tiles into one PNG gives.
      tiledMaskAbove.pixels = Infinity
      const stitchedRun = newRun()
      await storeImagePredictions(project, stitchedRun, [slide], batched, opts)
      const pixels = async (blob: string) => (await loadComposedMask(project, blob)).data
      const [tiled, stitched] = [storedBlobs(togetherRun, [slide]), storedBlobs(stitchedRun, [slide])]
      expect(tiled).not.toEqual(stitched) // stored differently (a tiled manifest, a PNG)…
      expect(tiled).toHaveLength(1 + opts.classes)
      for (const [k, blob] of tiled.entries()) expect(await pixels(blob)).toEqual(await pixels(stitched[k]))
      expect(new Set(await pixels(tiled[0])).size).toBe(opts.classes) // …and the mask is no single class
    } finally {
      tiledMaskAbove.pixels = Infinity
    }
  })

  it('stops within a batch of a cancel, inside a slide too, storing nothing half done', async () => {
    const cancel = new AbortController()
    const sizes: number[] = []
    const runId = newRun()
    const slide = getImage(project, slideId)
    const predict: Predictor = (x) => {
      sizes.push(x.shape[0])
      if (sizes.length === 2) cancel.abort()
      return batched(x)
    }
    await expect(
      storeImagePredictions(project, runId, [slide], predict, { ...opts, batch: 2, signal: cancel.signal }),
    ).rejects.toThrow()
    expect(sizes).toEqual([2, 2]) // of the slide's 4 batches of 2
    expect(imagePredictions(project, slideId).some((p) => p.runId === runId)).toBe(false)
  })

  it('says so when a model answers for more or fewer inputs than it was given', async () => {
    const oneShort: Predictor = (x) => batched(x.slice(0, x.shape[0] - 1) as tf.Tensor4D)
    await expect(
      storeImagePredictions(project, newRun(), [getImage(project, slideId)], oneShort, opts),
    ).rejects.toThrow('the model answered 3 predictions for 4 inputs')
  })

  it('shows an observer each batch: the inputs, their probabilities, and which image and place each is', async () => {
    const images = listImages(project)
    const seenBy = new Map<number, string[]>()
    const shapes: number[][] = []
    const gaps: number[] = []
    const stored: number[] = []
    const events: ('predicted' | 'stored')[] = []
    const together = counted(batched)
    const runId = newRun()
    const count = await storeImagePredictions(
      project,
      runId,
      images,
      together.predict,
      {
        ...opts,
        observe: (x, probabilities, inputs) => {
          events.push('predicted')
          shapes.push([...x.shape, ...probabilities.shape, inputs.length])
          // The probabilities are the inputs', in their order.
          gaps.push(
            ...tf
              .sub(probabilities, batched(x) as tf.Tensor4D)
              .abs()
              .max()
              .dataSync(),
          )
          for (const input of inputs)
            seenBy.set(input.imageId, [
              ...(seenBy.get(input.imageId) ?? []),
              `${input.place.x},${input.place.y}`,
            ])
        },
      },
      {
        stored: (image) => {
          // Stored before it is announced, and announced once.
          expect(imagePredictions(project, image.id).some((p) => p.runId === runId)).toBe(true)
          stored.push(image.id)
          events.push('stored')
        },
      },
    )
    expect(count).toBe(images.length)
    expect(together.sizes).toEqual([4, 4, 4, 1])
    expect(shapes).toEqual(together.sizes.map((n) => [n, SIZE, SIZE, 3, n, SIZE, SIZE, opts.classes, n]))
    for (const d of gaps) expect(d).toBeLessThan(1e-6)
    expect(stored).toEqual(images.map((i) => i.id))
    // Images are stored as soon as their batch is predicted, not all held to the end: the first four
    // fields are stored before the slide's tiles go to the model.
    expect(events.indexOf('stored')).toBeLessThan(events.lastIndexOf('predicted'))
    // Each image's inputs seen once, at their own places: a field whole, the slide tile by tile in order.
    for (const image of images)
      expect(seenBy.get(image.id)).toEqual(
        image.id === slideId ? tileGrid(W, H, TILE).map((t) => `${t.x},${t.y}`) : ['0,0'],
      )
  })
})
