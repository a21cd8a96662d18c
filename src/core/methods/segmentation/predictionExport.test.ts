import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeMaskPng } from '../../data/maskRaster'
import { insertImage, listImages } from '../../store/images'
import { closeProject, createProject, type Project } from '../../store/project'
import { createRun } from '../../store/runs'
import { runPredictions } from '../../store/predictions'
import { exportRunPredictions, PREDICTIONS_COCO_FILE } from './predictionExport'
import { storeRunPredictions } from './slidePrediction'

/**
 * A run's predictions on a project with three mask classes keep their class values from the model's
 * output to the stored mask and the exported PNG and COCO (categories: the project's mask classes).
 */
let dir: string
let project: Project
let runId: number

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-predexport-'))
  project = createProject(path.join(dir, 'p'), {
    name: 'three mask classes',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }, { name: 'necrosis' }],
  })
  for (const [name, background] of [
    ['a.png', '#808080'],
    ['b.png', '#a0a0a0'],
  ]) {
    const png = await sharp({ create: { width: 8, height: 4, channels: 3, background } })
      .png()
      .toBuffer()
    insertImage(project, {
      blob: project.blobs.put(png),
      name,
      width: 8,
      height: 4,
      channels: 3,
      format: 'png',
    })
  }
  runId = createRun(project, {
    task: 'segmentation',
    method: 'supervised',
    labelFraction: 1,
    seed: 0,
    config: {},
    datasetVersion: 'test',
  })
  // A model whose class k wins in the k-th quarter of the columns: background, tumour, stroma, necrosis.
  const quarters = (images: tf.Tensor4D) =>
    tf.tidy(() => {
      const [n, h, w] = images.shape
      const column = tf.floorDiv(tf.range(0, w, 1, 'int32'), w / 4)
      return tf.tile(tf.oneHot(column, 4).reshape([1, 1, w, 4]), [n, h, 1, 1]) as tf.Tensor4D
    })
  await storeRunPredictions(project, runId, quarters, { size: 8, redChannel: false, classes: 4 })
})

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('predictions of a project with several mask classes', () => {
  it('are stored with their class values', async () => {
    const blob = runPredictions(project, runId)[0].blob
    const mask = await decodeMaskPng(project.blobs.get(blob), 'prediction')
    expect([...mask.data.subarray(0, 8)]).toEqual([0, 0, 1, 1, 2, 2, 3, 3])
  })

  it('export as class-value PNGs and as COCO with the mask classes as categories', async () => {
    const out = path.join(dir, 'out')
    expect(await exportRunPredictions(project, runId, out)).toEqual({ written: 2, wholeSlides: 0 })
    const png = await decodeMaskPng(fs.readFileSync(path.join(out, 'a.png')), 'a')
    expect(Math.max(...png.data)).toBe(3)
    const coco = JSON.parse(fs.readFileSync(path.join(out, PREDICTIONS_COCO_FILE), 'utf8'))
    expect(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([
      [1, 'tumour'],
      [2, 'stroma'],
      [3, 'necrosis'],
    ])
    expect(coco.images.map((i: { file_name: string }) => i.file_name).sort()).toEqual(['a.png', 'b.png'])
    // Each image shows every class in a 2-column band: 3 annotations of 8 pixels each.
    const a = listImages(project).find((i) => i.name === 'a.png')!
    const ofA = coco.annotations.filter((x: { image_id: number }) => x.image_id === a.id)
    expect(
      ofA.map((x: { category_id: number; area: number; bbox: number[] }) => [x.category_id, x.area, x.bbox]),
    ).toEqual([
      [1, 8, [2, 0, 2, 4]],
      [2, 8, [4, 0, 2, 4]],
      [3, 8, [6, 0, 2, 4]],
    ])
  })

  it('refuse 0/255, which would merge the classes', async () => {
    await expect(exportRunPredictions(project, runId, path.join(dir, 'binary'), 'binary')).rejects.toThrow(
      /3 mask classes: export its predictions with class values/,
    )
  })
})
