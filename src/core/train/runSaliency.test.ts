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
let slides: DemoProject

describe.runIf(enabled)('saliency of a trained run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-saliency-'))
    demo = await createDemoProject(path.join(dir, 'mc'), { count: 16, seed: 3 })
    // 24 multi-label images: 2 of them slides, read in 3 × 4 tiles.
    slides = await createDemoProject(path.join(dir, 'ml'), { count: 24, seed: 5, variant: 'multi-label' })
  }, 180_000)

  afterAll(() => {
    closeProject(demo.project)
    closeProject(slides.project)
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
    expect([s.width, s.height, s.tiles]).toEqual([32, 32, 1])
    expect(s.map).toHaveLength(s.width * s.height)
    expect(s.overlay).toHaveLength(s.width * s.height * 3)
    expect(Math.max(...s.map)).toBeGreaterThan(0)
    expect(['nevus', 'melanoma', 'keratosis']).toContain(s.className)
    const asked = await runSaliency(project, { runId, imageId: image.id, className: 'melanoma' })
    expect(asked.className).toBe('melanoma')
    await expect(runSaliency(project, { runId, imageId: image.id, className: 'wart' })).rejects.toThrow(
      /No class 'wart'/,
    )
  }, 300_000)

  it("a slide's tile maps stitched at the model scale, for CASS's CNN and its Transformer", async () => {
    const { project } = slides
    const r = await runTrainingSeries(project, {
      task: 'classification',
      method: 'cass',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { 'cass.epochs': 1, epochs: 1 },
      backend: { name: 'cpu', device: 'cpu', warning: null },
    })
    const runId = r.runs[0].runId
    const slide = listImages(project).find((i) => i.tileCount > 1)!
    const before = tf.memory().numTensors
    for (const network of ['cnn', 'vit'] as const) {
      const s = await runSaliency(project, { runId, imageId: slide.id, network })
      expect(tf.memory().numTensors).toBe(before)
      expect(s.tiles).toBe(slide.tileCount)
      // 32 px per 480 px tile: the 1876 × 1408 slide at 1/15.
      expect([s.width, s.height]).toEqual([
        Math.round((slide.width * 32) / 480),
        Math.round((slide.height * 32) / 480),
      ])
      expect(s.map).toHaveLength(s.width * s.height)
      expect(s.overlay).toHaveLength(s.width * s.height * 3)
      // Every tile got its own map: saliency in each 32-px block of the grid.
      for (let ty = 0; ty * 32 < s.height; ty++)
        for (let tx = 0; tx * 32 < s.width; tx++) {
          let top = 0
          for (let y = ty * 32; y < Math.min(s.height, ty * 32 + 32); y++)
            for (let x = tx * 32; x < Math.min(s.width, tx * 32 + 32); x++)
              top = Math.max(top, s.map[y * s.width + x])
          expect(top).toBeGreaterThan(0)
        }
    }
    const supervised = await runTrainingSeries(demo.project, {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
      backend: { name: 'cpu', device: 'cpu', warning: null },
    })
    await expect(
      runSaliency(demo.project, {
        runId: supervised.runs[0].runId,
        imageId: listImages(demo.project)[0].id,
        network: 'vit',
      }),
    ).rejects.toThrow(/only CASS runs have a second/)
  }, 600_000)
})
