import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { labelEntropy } from '../methods/activeLearning/labelEntropy'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { runLabelPredictions } from '../store/labelPredictions'
import { setImageLabels } from '../store/labels'
import { imageUncertainty, runUncertainty } from '../store/predictionUncertainty'
import { closeProject, type Project } from '../store/project'
import { createRun } from '../store/runs'
import { finishedClassifierRun } from './fixtures/classifierRun'
import { nextToLabel } from './nextToLabel'
import { predictEverywhere } from './predictEverywhere'
import { predictedLabelsOf } from './predictLabels'
import { runSaliency } from './runSaliency'

// Every classifier pass is the real one; the test notes how many images each pass held.
const passes = vi.hoisted(() => ({ images: [] as number[] }))
vi.mock('./imageProbabilities', async (actual) => {
  const real = await actual<typeof import('./imageProbabilities')>()
  return {
    ...real,
    imageProbabilities: (...args: Parameters<typeof real.imageProbabilities>) => {
      passes.images.push(new Set(args[2].map((s) => s.imageId)).size)
      return real.imageProbabilities(...args)
    },
  }
})

let dir: string
let demo: DemoProject
let project: Project
let runId: number
let unlabelled: number[]

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-predict-labels-'))
  demo = await createDemoProject(path.join(dir, 'p'), { count: 12, seed: 5 })
  project = demo.project
  // Three training images lose their labels: the pool a labeller would work through next.
  unlabelled = listImages(project)
    .filter((i) => i.subset === 'train')
    .slice(0, 3)
    .map((i) => i.id)
  for (const id of unlabelled) setImageLabels(project, id, null)
  runId = finishedClassifierRun(project, 7)
}, 120_000)

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('a finished classification run in the labelling loop', () => {
  it('predicts the images without labels, their probabilities as saliency computes them, no tensor left', async () => {
    const labelsBefore = listImages(project).map((i) => [i.id, i.labels, i.labelled])
    const before = tf.memory().numTensors
    passes.images = []
    const summary = await predictEverywhere(project, { runId, images: 'unlabelled' })
    // The three small images go through the classifier in one pass, not one each.
    expect(passes.images).toEqual([3])
    expect(tf.memory().numTensors).toBe(before)
    expect(summary).toEqual({ runId, predicted: 3, skipped: 0, strategies: ['entropy'] })
    const stored = runLabelPredictions(project, runId)
    expect(stored.map((p) => p.imageId)).toEqual(unlabelled)
    // Predictions are kept apart: nobody's labels changed.
    expect(listImages(project).map((i) => [i.id, i.labels, i.labelled])).toEqual(labelsBefore)
    const classes = listClasses(project)
    for (const p of stored) {
      expect(p.probabilities.map((c) => c.classId)).toEqual(classes.map((c) => c.id))
      const values = p.probabilities.map((c) => c.probability)
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      // The probability of the class saliency explains is the one stored for it.
      const s = await runSaliency(project, { runId, imageId: p.imageId })
      const i = classes.findIndex((c) => c.name === s.className)
      expect(values[i]).toBeCloseTo(s.probability, 5)
      expect(Math.max(...values)).toBe(values[i])
      // The score that ranks it is the entropy of those probabilities, in nats.
      const [u] = imageUncertainty(project, runId, p.imageId)
      expect(u).toMatchObject({ strategy: 'entropy', map: null })
      expect(u.score).toBeCloseTo(labelEntropy(values, 'multi-class'), 6)
    }
  })

  it('ranks the pool by entropy and names the predicted label with its probability', () => {
    const r = nextToLabel(project, { runId, strategy: 'entropy' })
    expect(r.ranked.map((i) => i.imageId).sort()).toEqual([...unlabelled].sort())
    const scores = r.ranked.map((i) => i.score!)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const labels = predictedLabelsOf(project, runId)
    const classes = listClasses(project)
    for (const p of runLabelPredictions(project, runId)) {
      const values = p.probabilities.map((c) => c.probability)
      const best = values.indexOf(Math.max(...values))
      expect(labels.get(p.imageId)).toEqual([{ className: classes[best].name, probability: values[best] }])
    }
  })

  it('resumes: images done are skipped; a cancelled job keeps what it finished', async () => {
    expect(await predictEverywhere(project, { runId, images: 'unlabelled' })).toMatchObject({
      predicted: 0,
      skipped: 3,
    })
    const controller = new AbortController()
    const all = listImages(project).length
    let seen = 0
    await expect(
      predictEverywhere(project, {
        runId,
        images: 'all',
        signal: controller.signal,
        onProgress: (done) => {
          seen = done
          if (done === 5) controller.abort()
        },
      }),
    ).rejects.toThrow()
    expect(seen).toBe(5)
    // The 3 done before, plus the first 5 of the rest.
    expect(runLabelPredictions(project, runId)).toHaveLength(8)
    expect(await predictEverywhere(project, { runId, images: 'all' })).toMatchObject({
      predicted: all - 8,
      skipped: 8,
    })
    expect(runUncertainty(project, runId, 'entropy')).toHaveLength(all)
  })

  it('refuses what one classifier cannot measure, and a run that has not finished', async () => {
    await expect(
      predictEverywhere(project, { runId, images: 'unlabelled', strategies: ['disagreement'] }),
    ).rejects.toThrow(/entropy only, not disagreement/)
    const queued = createRun(project, {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seed: 0,
      datasetVersion: 'v1',
      config: {
        task: 'classification',
        method: 'supervised',
        preset: 'quick',
        labelFraction: 1,
        seed: 0,
        overrides: {},
      },
    })
    await expect(predictEverywhere(project, { runId: queued, images: 'unlabelled' })).rejects.toThrow(
      /has not finished/,
    )
  })
})
