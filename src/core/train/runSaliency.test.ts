import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { listImages } from '../store/images'
import { closeProject } from '../store/project'
import { runSaliency } from './runSaliency'
import { runTrainingSeries } from './series'

/**
 * Saliency of a finished run end to end on the demo: train a small classifier through the series, then
 * draw the map of a test image. ~20 s on two cores, so with S4MI_CLASSIFY_DEMO=1 like the other demo runs;
 * the map's maths is checked in npm test (saliency.test.ts).
 */
const enabled = process.env.S4MI_CLASSIFY_DEMO === '1'
let dir: string
let demo: DemoProject

describe.runIf(enabled)('saliency of a trained run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-saliency-'))
    demo = await createDemoProject(path.join(dir, 'mc'), { count: 16, seed: 3 })
  }, 120_000)

  afterAll(() => {
    closeProject(demo.project)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('draws the predicted class over the image, or the class asked for', async () => {
    const { project } = demo
    const r = await runTrainingSeries(project, {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 2 },
      backend: { name: 'cpu', device: 'cpu', warning: null },
    })
    const runId = r.runs[0].runId
    const image = listImages(project)[0]
    const before = tf.memory().numTensors
    const s = await runSaliency(project, { runId, imageId: image.id })
    expect(tf.memory().numTensors).toBe(before)
    expect(s.map).toHaveLength(s.size * s.size)
    expect(s.overlay).toHaveLength(s.size * s.size * 3)
    expect(Math.max(...s.map)).toBeGreaterThan(0)
    expect(['nevus', 'melanoma', 'keratosis']).toContain(s.className)
    const asked = await runSaliency(project, { runId, imageId: image.id, className: 'melanoma' })
    expect(asked.className).toBe('melanoma')
    await expect(runSaliency(project, { runId, imageId: image.id, className: 'wart' })).rejects.toThrow(
      /No class 'wart'/,
    )
  }, 300_000)
})
