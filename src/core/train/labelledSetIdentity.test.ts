import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAPER_LABEL_FRACTIONS } from '../data/labelFraction'
import { chooseLabelledSetState, previewLabelledSet } from '../data/labelledSetSummary'
import { createDemoProject } from '../demo/createDemoProject'
import { loadSegmentationData } from '../methods/segmentation/dataset'
import type { RunConfig } from '../methods/catalogueEntry'
import { closeProject, type Project } from '../store/project'
import { getRun } from '../store/runs'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { setImageLabels } from '../store/labels'
import { activeLabelFraction, loadLabelFraction } from '../store/splits'
import { createSeedRun, type TrainRequest } from './trainingJobs'

/**
 * The one labelled set: what the training panel previews, what it stores as the active set (the grid's
 * badges) and what a run then trains on are the same images, for every paper fraction, "exactly what I
 * labelled", and several seeds. A run at a fraction (not 'active') draws the same set for its seed too.
 */
let dir: string
let project: Project

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-labelled-set-'))
  project = (await createDemoProject(path.join(dir, 'p'), { count: 16, seed: 5 })).project
})

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const request = (labelFraction: TrainRequest['labelFraction']): TrainRequest => ({
  task: 'segmentation',
  method: 'supervised',
  labelFraction,
  seeds: 1,
  preset: 'quick',
  overrides: {},
})

/** The distinct images a run's loaded training data keeps masks for. */
async function trainedOn(runId: number): Promise<number[]> {
  const config = getRun(project, runId).config as RunConfig
  const data = await loadSegmentationData(project, {
    splitId: config.splitId,
    labelFractionId: config.labelFractionId,
    size: 8,
    redChannel: false,
  })
  return [...new Set(data.sources.labelled.map((s) => s.imageId))].sort((a, b) => a - b)
}

describe('the labelled set', () => {
  it('is the same ids in the preview, the stored active set and the run, for every fraction and seed', async () => {
    const checked: string[] = []
    for (const choice of [...PAPER_LABEL_FRACTIONS, 'user' as const]) {
      for (const seed of [0, 1, 7]) {
        if (choice === 'user' && seed > 0) continue
        const preview = previewLabelledSet(project, 'segmentation', choice, seed)
        expect(preview.imageIds.length).toBeGreaterThan(0)
        const state = chooseLabelledSetState(project, 'segmentation', choice, seed)
        expect(state.active?.imageIds).toEqual(preview.imageIds)
        expect(state.active?.datasetVersion).toBe(preview.datasetVersion)
        expect(activeLabelFraction(project)?.imageIds).toEqual(preview.imageIds)

        // Training with the panel's choice ('active'), whatever the run's own seed.
        for (const runSeed of [0, 3]) {
          const runId = createSeedRun(project, request('active'), runSeed, null)
          const run = getRun(project, runId)
          expect(run.datasetVersion).toBe(preview.datasetVersion)
          expect(run.labelFraction).toBe(choice === 'user' ? null : choice)
          const config = run.config as RunConfig
          expect(loadLabelFraction(project, config.labelFractionId!).imageIds).toEqual(preview.imageIds)
          // The images the loaded training data keeps masks for (once per choice: loading is the slow part).
          if (runSeed === 3 && seed === 0) expect(await trainedOn(runId)).toEqual(preview.imageIds)
        }
        // Training at the same fraction directly draws the same set for that seed.
        const direct = createSeedRun(project, request(choice), seed, null)
        const config = getRun(project, direct).config as RunConfig
        expect(loadLabelFraction(project, config.labelFractionId!).imageIds).toEqual(preview.imageIds)
        expect(getRun(project, direct).datasetVersion).toBe(preview.datasetVersion)
        checked.push(`${choice}/${seed}`)
      }
    }
    expect(checked).toHaveLength(PAPER_LABEL_FRACTIONS.length * 3 + 1)
  })

  it('records a new dataset version when a labelled image changes', () => {
    const before = previewLabelledSet(project, 'segmentation', 'user', 0)
    const id = before.imageIds[0]
    const [image] = listImages(project, [id])
    const other = listClasses(project).find((c) => !image.labels.includes(c.id))!
    setImageLabels(project, id, [other.id])
    const after = previewLabelledSet(project, 'segmentation', 'user', 0)
    expect(after.imageIds).toEqual(before.imageIds)
    expect(after.datasetVersion).not.toBe(before.datasetVersion)
  })

  it('refuses a run on an active set chosen for another task', () => {
    chooseLabelledSetState(project, 'classification', 0.5, 0)
    expect(() => createSeedRun(project, request('active'), 0, null)).toThrow(/is for classification/)
  })
})
