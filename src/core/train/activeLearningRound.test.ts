import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseLabelledImages, trainingImages } from '../data/labelledSet'
import { createGeneratedProject } from '../methods/segmentation/fixtures/generatedProject'
import { ensureSplit } from '../data/splitProject'
import type { RunConfig } from '../methods/catalogueEntry'
import { validateTrainRequest } from '../methods/validateTrainRequest'
import { createSeededRandom } from '../engine/seededRandom'
import { createExperiment, experimentRunIds } from '../store/experiments'
import { runUncertainty } from '../store/predictionUncertainty'
import { closeProject, type Project } from '../store/project'
import { getRun } from '../store/runs'
import { loadLabelFraction } from '../store/splits'
import { activeLearningRound } from './activeLearningRound'
import { executeRun } from './executeRun'
import { createSeedRun } from './trainingJobs'

const backend = { name: 'cpu', device: 'cpu', warning: null }
let dir: string
let project: Project
let train: number[]
let firstRun: number
let experimentId: number

// The loop's mechanics on ten generated 32-px images, one epoch per run: what is ranked, what joins the labelled set, where
// the retrained run lands. Whether uncertainty beats random is bench:active's question, not this test's.
beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-round-'))
  project = (await createGeneratedProject(path.join(dir, 'p'), { count: 10, size: 32, labelled: 2 })).project
  const splitId = activeSplitId()
  train = trainingImages(project, splitId).map((i) => i.id)
  chooseLabelledImages(project, 'segmentation', train.slice(0, 2))
  const { request } = validateTrainRequest({
    task: 'segmentation',
    method: 'supervised',
    labelFraction: 'active',
    seeds: 1,
    preset: 'quick',
    overrides: { epochs: 1, batchSize: 2 },
  })
  const created = createExperiment(
    project,
    {
      name: 'loop',
      splitId,
      spec: {
        name: 'loop',
        tasks: ['segmentation'],
        methods: ['supervised'],
        backbones: [],
        labelFractions: [1],
        seeds: 1,
        preset: 'quick',
        overrides: {},
      },
    },
    () => [createSeedRun(project, request, 0, 'cpu (cpu)')],
  )
  experimentId = created.id
  firstRun = created.runIds[0]
  await executeRun(project.dir, firstRun, { post: () => {}, signal: new AbortController().signal, backend })
}, 180_000)

function activeSplitId(): number {
  return ensureSplit(project)
}

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('activeLearningRound', () => {
  it('labels the k most uncertain held-back images and retrains the same configuration in the same experiment', async () => {
    const pool = train.slice(2)
    const r = await activeLearningRound(project, {
      runId: firstRun,
      strategy: 'entropy',
      k: 2,
      labelled: train.slice(0, 2),
      pool,
      seed: 0,
      backend,
    })
    const scores = runUncertainty(project, firstRun, 'entropy').filter((s) => pool.includes(s.imageId))
    expect(scores).toHaveLength(pool.length)
    expect(r.picked).toEqual(scores.slice(0, 2).map((s) => s.imageId))
    expect(r.labelled).toEqual([...train.slice(0, 2), ...r.picked])
    const next = getRun(project, r.runId)
    const config = next.config as RunConfig & { labelledImages: number }
    expect(next.status).toBe('succeeded')
    expect(config).toMatchObject({
      method: 'supervised',
      preset: 'quick',
      seed: 0,
      overrides: { epochs: 1, batchSize: 2 },
    })
    expect(loadLabelFraction(project, config.labelFractionId!).imageIds).toEqual(
      [...r.labelled].sort((a, b) => a - b),
    )
    expect(experimentRunIds(project, experimentId)).toEqual([firstRun, r.runId])
    expect(Number.isFinite(r.metrics.testIou)).toBe(true)
  }, 180_000)

  it('random picks the seeded order of the candidates, without predicting', async () => {
    const pool = train.slice(2)
    const r = await activeLearningRound(project, {
      runId: firstRun,
      strategy: 'random',
      k: 2,
      labelled: train.slice(0, 2),
      pool,
      seed: 7,
      backend,
    })
    expect(r.picked).toEqual(createSeededRandom(7).shuffle(pool).slice(0, 2))
  }, 180_000)
})
