import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRgb } from '../data/tileImage'
import { pixelDisagreement, pixelEntropy } from '../methods/activeLearning/uncertaintyMeasures'
import { preprocessImage } from '../methods/segmentation/dataset'
import { predictProbabilities, type SegmentationNet } from '../methods/segmentation/segmentationNet'
import { getImage } from '../store/images'
import { maskHead } from '../store/masks'
import { imageUncertainty, runUncertainty } from '../store/predictionUncertainty'
import { runPredictions } from '../store/predictions'
import { closeProject, type Project } from '../store/project'
import { createLoopProject } from './fixtures/loopProject'
import { nextToLabel } from './nextToLabel'
import { predictEverywhere } from './predictEverywhere'

let dir: string
let project: Project
let unlabelled: number[]
let cnn: SegmentationNet
let swin: SegmentationNet
let supervisedRun: number
let crossRun: number

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-loop-'))
  ;({ project, unlabelled, cnn, swin, supervisedRun, crossRun } = await createLoopProject(dir))
}, 60_000)

afterAll(() => {
  cnn.dispose()
  swin.dispose()
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

async function input(imageId: number): Promise<tf.Tensor4D> {
  const x = preprocessImage(await readRgb(project.blobs.get(getImage(project, imageId).blob)), 32, false)
  return tf.tensor4d(x, [1, 32, 32, 3])
}

const mean = (t: tf.Tensor) => Array.from(t.dataSync()).reduce((s, v) => s + v, 0) / t.size

describe('predictEverywhere', () => {
  it('predicts the unlabelled images with their entropy, leaving every mask as it was', async () => {
    const heads = unlabelled.map((id) => maskHead(project, id))
    const before = tf.memory().numTensors
    const summary = await predictEverywhere(project, { runId: supervisedRun, images: 'unlabelled' })
    expect(tf.memory().numTensors).toBe(before)
    expect(summary).toEqual({ runId: supervisedRun, predicted: 2, skipped: 0, strategies: ['entropy'] })
    expect(runPredictions(project, supervisedRun).map((p) => p.imageId)).toEqual(unlabelled)
    expect(unlabelled.map((id) => maskHead(project, id))).toEqual(heads)
    // The stored score is the mean pixel entropy of the net's own probabilities.
    for (const id of unlabelled) {
      const x = await input(id)
      const p = predictProbabilities(cnn, x)
      const h = pixelEntropy(p)
      const [u] = imageUncertainty(project, supervisedRun, id)
      expect(u.strategy).toBe('entropy')
      expect(u.score).toBeCloseTo(mean(h), 5)
      expect(u.map).not.toBeNull()
      tf.dispose([x, p, h])
    }
  })

  it('resumes: images done are skipped, a cancelled job keeps what it finished', async () => {
    expect(await predictEverywhere(project, { runId: supervisedRun, images: 'unlabelled' })).toMatchObject({
      predicted: 0,
      skipped: 2,
    })
    const controller = new AbortController()
    await expect(
      predictEverywhere(project, {
        runId: supervisedRun,
        images: 'all',
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 5) controller.abort()
        },
      }),
    ).rejects.toThrow()
    // What the bar said was done is what is kept: the 2 skipped and 3 predicted, though 4 shared a batch.
    const partly = runUncertainty(project, supervisedRun, 'entropy').length
    expect(partly).toBe(5)
    const rest = await predictEverywhere(project, { runId: supervisedRun, images: 'all' })
    expect(rest.predicted + rest.skipped).toBe(12)
    expect(rest.skipped).toBe(partly)
  })

  it("measures cross teaching's disagreement between its U-Net and Swin-UNet", async () => {
    const s = await predictEverywhere(project, { runId: crossRun, images: unlabelled })
    expect(s.strategies).toEqual(['entropy', 'disagreement'])
    const x = await input(unlabelled[0])
    const a = predictProbabilities(cnn, x)
    const b = predictProbabilities(swin, x)
    const d = pixelDisagreement(a, b)
    const u = imageUncertainty(project, crossRun, unlabelled[0]).find((v) => v.strategy === 'disagreement')!
    expect(u.score).toBeCloseTo(mean(d), 6)
    tf.dispose([x, a, b, d])
  })

  it('samples the Swin-UNet for Monte Carlo dropout and refuses the U-Net, which has none', async () => {
    await expect(
      predictEverywhere(project, { runId: supervisedRun, images: unlabelled, strategies: ['mc-dropout'] }),
    ).rejects.toThrow(/U-Net has no dropout/)
    await expect(
      predictEverywhere(project, { runId: supervisedRun, images: unlabelled, strategies: ['disagreement'] }),
    ).rejects.toThrow(/two networks/)
    await predictEverywhere(project, { runId: crossRun, images: unlabelled, strategies: ['mc-dropout'] })
    const scores = runUncertainty(project, crossRun, 'mc-dropout')
    expect(scores).toHaveLength(2)
    for (const s of scores) expect(s.score).toBeGreaterThan(0)
  })

  it('ranks the labelling pool by uncertainty, or at random from a seed', () => {
    const ranked = nextToLabel(project, { runId: supervisedRun, strategy: 'entropy' })
    const scores = ranked.ranked.map((r) => r.score!)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    // Only images without a mask and outside validation and test are in the pool.
    expect(ranked.ranked.map((r) => r.imageId).sort()).toEqual([...unlabelled].sort())
    const random = (seed: number) =>
      nextToLabel(project, { runId: supervisedRun, strategy: 'random', seed, count: 2 }).ranked.map(
        (r) => r.imageId,
      )
    expect(random(1)).toEqual(random(1))
    expect(nextToLabel(project, { runId: crossRun, strategy: 'disagreement', count: 1 }).ranked).toHaveLength(
      1,
    )
  })
})
