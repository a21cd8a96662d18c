import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { putMask } from '../data/maskRaster'
import { insertImage } from '../store/images'
import { commitMaskRevision } from '../store/masks'
import { createProject, type Project } from '../store/project'
import { addRunMetrics, appendRunLog, createRun, updateRun } from '../store/runs'
import { saveLabelFraction, saveSplit } from '../store/splits'
import { runHandlers } from './runHandlers'
import type { Session } from './session'
import { testSession } from './fixtures/testSession'

let dir: string
let project: Project
let session: Session
let h: ReturnType<typeof runHandlers>
const ids: number[] = []
let splitId: number
let labelFractionId: number

/** A 4×4 mask with the first `n` pixels (row-major) foreground. */
const mask = (n: number) => ({
  width: 4,
  height: 4,
  data: Uint8Array.from({ length: 16 }, (_, i) => (i < n ? 1 : 0)),
})

function run(method: string, seed: number, final: Record<string, number>, preset = 'quick'): number {
  const id = createRun(project, {
    task: 'segmentation',
    method,
    labelFraction: 0.5,
    seed,
    datasetVersion: 'v1',
    config: {
      task: 'segmentation',
      method,
      preset,
      labelFraction: 0.5,
      seed,
      overrides: { epochs: 3 },
      splitId,
      labelFractionId,
    },
  })
  updateRun(project, id, { status: 'running' })
  addRunMetrics(
    project,
    id,
    Object.entries(final).map(([name, value]) => ({ subset: 'final', name, value })),
  )
  updateRun(project, id, { status: 'succeeded' })
  return id
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-run-handlers-'))
  project = createProject(path.join(dir, 'p'), { name: 'runs', labelMode: 'multi-class', classes: [] })
  for (let i = 0; i < 4; i++) {
    const id = insertImage(project, {
      blob: String(i).padStart(64, '0'),
      name: `img${i}.png`,
      width: 4,
      height: 4,
      channels: 3,
      format: 'png',
    })
    ids.push(id)
    commitMaskRevision(project, id, await putMask(project, mask(8)), 'import')
  }
  const assignments = new Map([
    [ids[0], 'train' as const],
    [ids[1], 'train' as const],
    [ids[2], 'test' as const],
    [ids[3], 'test' as const],
  ])
  splitId = saveSplit(project, { name: 's', kind: 'random', seed: 0, assignments })
  labelFractionId = saveLabelFraction(project, {
    splitId,
    task: 'segmentation',
    mode: 'fraction',
    fraction: 0.5,
    seed: 0,
    imageIds: [ids[1]],
  })
  session = testSession(dir, project)
  h = runHandlers(session)
})
afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('run handlers', () => {
  it('describe a run with every hyperparameter, its labelled images, backbone and log', async () => {
    const id = run('supervised', 0, { testIou: 0.5 })
    appendRunLog(project, id, 'ImageNet weights: none, random start')
    const d = await h['runs.get']({ runId: id })
    expect(d.backbone).toBe('small U-Net (quick)')
    expect(d.preset).toBe('quick')
    expect(d.hyper.epochs).toBe(3)
    expect(d.overrides).toEqual({ epochs: 3 })
    // The rest of the preset's hyperparameters are there too.
    expect(Object.keys(d.hyper)).toEqual(
      expect.arrayContaining(['batchSize', 'imageSize', 'earlyStopPatience']),
    )
    expect(d.labelledImageIds).toEqual([ids[1]])
    expect(d.log.map((l) => l.line)).toEqual(['ImageNet weights: none, random start'])
    expect(d.startedAt).not.toBeNull()
    expect(d.startedAt! >= d.createdAt).toBe(true)
  })

  it('give the slide tiles a run left out as glass, per subset; none for runs that stored one total', async () => {
    const glass = {
      train: { tiles: 12, slides: 3 },
      val: { tiles: 0, slides: 0 },
      test: { tiles: 4, slides: 1 },
    }
    const id = run('supervised', 7, { testIou: 0.5 })
    updateRun(project, id, { progress: { hyper: {}, glassTilesSkipped: glass } })
    expect((await h['runs.get']({ runId: id })).glassTilesSkipped).toEqual(glass)
    const old = run('supervised', 8, { testIou: 0.5 })
    updateRun(project, old, { progress: { hyper: {}, glassTilesSkipped: 16 } })
    expect((await h['runs.get']({ runId: old })).glassTilesSkipped).toBeNull()
    for (const runId of [id, old]) await h['runs.delete']({ runId })
  })

  it('score each test image against its mask, worst first, naming images without a prediction', async () => {
    const id = run('supervised', 1, { testIou: 0.6 })
    // Truth: 8 foreground pixels. img2 predicted 4 of them (IoU 0.5); img3 predicted 8 + 4 extra (IoU 8/12).
    const pred = async (imageId: number, n: number) =>
      project.db
        .prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)')
        .run(id, imageId, await putMask(project, mask(n)))
    await pred(ids[3], 12)
    await pred(ids[2], 4)
    const scores = await h['runs.imageScores']({ runId: id })
    expect(scores.map((s) => s.imageId)).toEqual([ids[2], ids[3]])
    expect(scores[0].iou).toBeCloseTo(0.5, 12)
    expect(scores[0].dice).toBeCloseTo(8 / 12, 12)
    expect(scores[1].iou).toBeCloseTo(8 / 12, 12)
    const none = await h['runs.imageScores']({ runId: run('supervised', 2, { testIou: 0.1 }) })
    expect(none.map((s) => [s.predicted, s.iou])).toEqual([
      [false, null],
      [false, null],
    ])
  })

  it('build the table over method × backbone from evaluation metrics only, leaving hidden runs out', async () => {
    const paper = run('supervised', 0, { testIou: 0.9, kmeansLoss: 3, bestEpoch: 7 }, 'paper')
    const crossTeaching = run('cross-teaching', 0, { testIou: 0.7, swinTestIou: 0.65 })
    const table = await h['results.table']({ task: 'segmentation' })
    const iou = table.cells.filter((c) => c.metric === 'testIou')
    expect(iou.map((c) => [c.method, c.backbone, c.n])).toEqual([
      ['cross-teaching', 'small U-Net + small Swin-UNet (quick)', 1],
      ['supervised', 'ResNet-34 U-Net', 1],
      ['supervised', 'small U-Net (quick)', 3],
    ])
    expect(iou[1].runIds).toEqual([paper])
    expect(table.cells.some((c) => c.metric === 'kmeansLoss' || c.metric === 'bestEpoch')).toBe(false)
    await h['runs.setHidden']({ runId: crossTeaching, hidden: true })
    const shown = await h['results.table']({ task: 'segmentation' })
    expect(shown.cells.some((c) => c.method === 'cross-teaching')).toBe(false)
    const all = await h['results.table']({ task: 'segmentation', includeHidden: true })
    expect(all.cells.some((c) => c.method === 'cross-teaching')).toBe(true)
  })

  it('refuse a learning curve from one label fraction, and a loss as its metric', async () => {
    const advice = await h['results.labelBudget']({ task: 'segmentation' })
    expect(advice.metric).toBe('testIou')
    expect(advice.curves.every((c) => c.refused?.includes('has 1'))).toBe(true)
    await expect(h['results.labelBudget']({ task: 'segmentation', metric: 'kmeansLoss' })).rejects.toThrow(
      /not an evaluation metric/,
    )
  })

  it('delete a finished run and refuse one still training', async () => {
    const id = run('supervised', 3, { testIou: 0.2 })
    await expect(h['runs.delete']({ runId: id })).resolves.toEqual({ removedBlobs: 0 })
    await expect(h['runs.get']({ runId: id })).rejects.toThrow(`No run with id ${id}`)
    const live = createRun(project, {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 0.5,
      seed: 4,
      datasetVersion: 'v1',
      config: {},
    })
    updateRun(project, live, { status: 'running' })
    await expect(h['runs.delete']({ runId: live })).rejects.toThrow(/running: cancel it in Jobs/)
  })
})
