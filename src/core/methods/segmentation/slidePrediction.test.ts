import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cropPadded, encodePng, tileGrid } from '../../data/tileImage'
import { getImage, insertImage, insertTile } from '../../store/images'
import { closeProject, createProject, type Project } from '../../store/project'
import { createRun } from '../../store/runs'
import { decodeMaskPng } from '../../data/maskRaster'
import { predictImageMask, storeRunPredictions } from './slidePrediction'
import { imagePredictions, predictionProbabilityBlob } from '../../store/predictions'
import { referencedBlobs } from '../../store/blobGarbage'

/** Foreground wherever the (normalised) red channel is bright: a stand-in model whose answer we know. */
const redIsForeground = (x: tf.Tensor4D): tf.Tensor4D =>
  tf.tidy(() => {
    const fg = tf.sigmoid(tf.mul(20, x.slice([0, 0, 0, 0], [-1, -1, -1, 1])))
    return tf.concat([tf.sub(1, fg), fg], -1) as tf.Tensor4D
  })

let dir: string
let project: Project
let tiledId: number
let wholeId: number
const W = 100
const H = 60

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-slidepred-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
  // Left of x = 30 red, the rest black.
  const rgb = new Uint8Array(W * H * 3)
  for (let y = 0; y < H; y++) for (let x = 0; x < 30; x++) rgb[(y * W + x) * 3] = 255
  const raw = { data: rgb, width: W, height: H, channels: 3 }
  const png = await encodePng(raw)
  const add = (name: string, blob: string) =>
    insertImage(project, { blob, name, width: W, height: H, channels: 3, format: 'png' })
  tiledId = add('tiled', project.blobs.put(png))
  // The same pixels under another hash (images are stored by content, one row per blob).
  const sharp = (await import('sharp')).default
  const otherPng = await sharp(Buffer.from(rgb), { raw: { width: W, height: H, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer()
  wholeId = add('whole', project.blobs.put(otherPng))
  for (const pos of tileGrid(W, H, 64)) {
    const tile = cropPadded(raw, pos, 64, 0)
    insertTile(project, {
      imageId: tiledId,
      tileSize: 64,
      ...pos,
      blob: project.blobs.put(await encodePng(tile)),
    })
  }
})

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

function mismatches(mask: Uint8Array, margin: number): number {
  let bad = 0
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (Math.abs(x + 0.5 - 30) < margin) continue
      if (mask[y * W + x] !== (x < 30 ? 1 : 0)) bad++
    }
  }
  return bad
}

describe('predictions back to the slide', () => {
  it('stitches tile predictions at their source positions, padding dropped', async () => {
    const mask = await predictImageMask(project, getImage(project, tiledId), redIsForeground, {
      size: 32,
      redChannel: false,
      classes: 2,
    })
    expect(mask.length).toBe(W * H)
    // Tiles are predicted at 32 px and resized back ×2: allow a few pixels of blur at the edge.
    expect(mismatches(mask, 3)).toBe(0)
    // The second tile (x 64..99) is black with black padding: nothing there may turn foreground.
    for (let y = 0; y < H; y++) for (let x = 64; x < W; x++) expect(mask[y * W + x]).toBe(0)
  })
  it('predicts an untiled image whole and resizes back to its size', async () => {
    const mask = await predictImageMask(project, getImage(project, wholeId), redIsForeground, {
      size: 32,
      redChannel: false,
      classes: 2,
    })
    expect(mismatches(mask, 4)).toBe(0)
  })
  it('stores one decodable prediction per image for the run', async () => {
    const runId = createRun(project, {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 0.1,
      seed: 0,
      config: {},
      datasetVersion: 'x',
    })
    expect(
      await storeRunPredictions(project, runId, redIsForeground, { size: 32, redChannel: false, classes: 2 }),
    ).toBe(2)
    const row = project.db
      .prepare('SELECT blob FROM predictions WHERE run_id = ? AND image_id = ?')
      .get(runId, tiledId) as { blob: string }
    const decoded = await decodeMaskPng(project.blobs.get(row.blob), 'prediction')
    expect([decoded.width, decoded.height]).toEqual([W, H])
    expect(mismatches(decoded.data, 3)).toBe(0)
    // Beside the mask, how sure the net was: the argmax mask is foreground exactly where p > 0.5.
    const listed = imagePredictions(project, tiledId).find((r) => r.runId === runId)!
    expect(listed.probabilities).toEqual([0])
    const map = await decodeMaskPng(
      project.blobs.get(predictionProbabilityBlob(project, runId, tiledId, 0)),
      'p',
    )
    expect([map.width, map.height]).toEqual([W, H])
    for (let i = 0; i < W * H; i++) {
      if (decoded.data[i] === 1) expect(map.data[i]).toBeGreaterThanOrEqual(128)
      else expect(map.data[i]).toBeLessThanOrEqual(128)
    }
    expect(map.data[10 * W + 5]).toBeGreaterThan(250) // red: sure it is foreground
    expect(map.data[10 * W + 80]).toBeLessThan(5) // black: sure it is not
    expect(referencedBlobs(project).has(predictionProbabilityBlob(project, runId, tiledId, 0))).toBe(true)
    expect(() => predictionProbabilityBlob(project, runId, tiledId, 1)).toThrow(
      /no probability map of mask class value 1/,
    )
  })
})
