import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importImages } from '../../data/importImages'
import { glassTilesSkipped, slideTilesInUse } from '../../data/slideTissue'
import { listTrainingSamples } from '../../data/trainingSamples'
import { listImages, listTiles } from '../../store/images'
import { closeProject, createProject, type Project } from '../../store/project'
import { slideInfo } from '../../store/slideInfo'
import { writeHalfGlassSlide } from '../../data/fixtures/halfGlassSlide'
import { predictImageMask } from './slidePrediction'

// A 1920×960 pyramidal TIFF: stained tissue on the left half, bare glass on the right. Cut into 480-px
// tiles that is 4 × 2 tiles, the 4 right-hand ones glass.
const W = 1920
const H = 960
let dir: string
let project: Project

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-glass-tiles-'))
  const file = await writeHalfGlassSlide(dir, W, H)
  project = createProject(path.join(dir, 'p'), { name: 'glass', labelMode: 'multi-class', classes: [] })
  await importImages(project, [file], { tileSize: 480 })
})
afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('tiles of mostly glass', () => {
  it('are found at import on a low-resolution picture and counted', () => {
    const [img] = listImages(project)
    expect(listTiles(project, img.id)).toHaveLength(8)
    const tissue = slideInfo(project, img.id)!.tissue!
    expect(tissue).toMatchObject({ tilesKept: 4, tilesSkipped: 4 })
    expect(tissue.downsample).toBeCloseTo(W / 1024)
    expect(tissue.threshold).toBeGreaterThanOrEqual(20)
    const none = { tiles: 0, slides: 0 }
    expect(glassTilesSkipped(project, new Map([[img.id, 'test']]))).toEqual({
      train: none,
      val: none,
      test: { tiles: 4, slides: 1 },
    })
    expect(glassTilesSkipped(project, new Map([[img.id, 'train']])).train).toEqual({ tiles: 4, slides: 1 })
    // A slide outside the run's split is not read, so not counted.
    expect(glassTilesSkipped(project, new Map())).toEqual({ train: none, val: none, test: none })
  })

  it('are left out of training and prediction alike', async () => {
    const [img] = listImages(project)
    const used = slideTilesInUse(project, img).tiles.map((t) => `${t.x},${t.y}`)
    expect(used).toEqual(['0,0', '480,0', '0,480', '480,480'])
    const samples = listTrainingSamples(project, [img], { tiles: true })
    expect(samples.map((t) => `${t.tile!.x},${t.tile!.y}`)).toEqual(used)
    // A model that says "class 1" everywhere: only the tiles in use get a prediction.
    const predict = (x: tf.Tensor4D) =>
      tf.tidy(() => {
        const [n, h, w] = x.shape
        return tf.concat([tf.zeros([n, h, w, 1]), tf.ones([n, h, w, 1])], 3) as tf.Tensor4D
      })
    const mask = await predictImageMask(project, img, predict, { size: 16, redChannel: false, classes: 2 })
    expect(mask[100 * W + 100]).toBe(1)
    expect(mask[900 * W + 959]).toBe(1)
    expect(mask[100 * W + 960]).toBe(0)
    expect(mask[900 * W + 1900]).toBe(0)
  })
})
