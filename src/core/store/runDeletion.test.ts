import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertImage } from './images'
import { TILED_MASK_FORMAT } from './maskManifest'
import { commitMaskRevision } from './masks'
import { closeProject, createProject, type Project } from './project'
import { deleteRun, replaceRunCheckpoint } from './runDeletion'
import { putPredictionProbabilities } from './predictions'
import { addRunMetrics, appendRunLog, createRun, getRun, listRuns, runLog, setRunHidden } from './runs'

let dir: string
let project: Project

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-rundel-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
})
afterEach(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const run = () =>
  createRun(project, {
    task: 'segmentation',
    method: 'supervised',
    labelFraction: 0.5,
    seed: 0,
    config: {},
    datasetVersion: 'v',
  })
const image = (name: string, width = 8, height = 8) =>
  insertImage(project, {
    blob: project.blobs.put(Buffer.from(name)),
    name,
    width,
    height,
    channels: 3,
    format: 'png',
  })
const predict = (runId: number, imageId: number, blob: string) =>
  project.db
    .prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)')
    .run(runId, imageId, blob)
const manifest = (tiles: string[]) =>
  project.blobs.put(
    Buffer.from(
      JSON.stringify({
        format: TILED_MASK_FORMAT,
        version: 1,
        width: 20_000,
        height: 20_000,
        tileSize: 1024,
        tiles: Object.fromEntries(tiles.map((t, i) => [`${i},0`, t])),
      }),
    ),
  )

describe('deleting a run', () => {
  it('removes its rows, its checkpoint and predicted masks, keeping blobs other rows still name', () => {
    const a = run()
    const b = run()
    const img1 = image('one')
    const img2 = image('two')
    const slide = image('slide', 20_000, 20_000)
    const checkpoint = project.blobs.put(Buffer.from('checkpoint of a'))
    replaceRunCheckpoint(project, a, checkpoint, { epoch: 1 })
    const own = project.blobs.put(Buffer.from('prediction only a made'))
    const shared = project.blobs.put(Buffer.from('same prediction from a and b'))
    const accepted = project.blobs.put(Buffer.from('prediction a reviewer accepted'))
    predict(a, img1, own)
    predict(b, img1, shared)
    predict(a, img2, shared)
    // img2's prediction was accepted: now the reviewer's revision, recorded as coming from run a.
    project.db
      .prepare('UPDATE predictions SET blob = ? WHERE run_id = ? AND image_id = ?')
      .run(accepted, a, img2)
    commitMaskRevision(project, img2, accepted, 'prediction', a)
    // A slide's tiled prediction: one tile only a's, one tile also in b's tiled prediction.
    const tileOwn = project.blobs.put(Buffer.from('tile only in a'))
    const tileShared = project.blobs.put(Buffer.from('tile in a and b'))
    predict(a, slide, manifest([tileOwn, tileShared]))
    predict(b, slide, manifest([tileShared]))
    // Probability maps: img1's only a's; the slide's tiled map has a tile only a's.
    const mapOwn = project.blobs.put(Buffer.from('probabilities only a kept'))
    const mapTile = project.blobs.put(Buffer.from('probability tile only a kept'))
    putPredictionProbabilities(project, a, img1, new Map([[0, mapOwn]]))
    putPredictionProbabilities(project, a, slide, new Map([[0, manifest([mapTile])]]))
    addRunMetrics(project, a, [{ subset: 'final', name: 'testIou', value: 0.5 }])
    appendRunLog(project, a, 'Training on wasm')

    const { removedBlobs } = deleteRun(project, a)

    expect(listRuns(project).map((r) => r.id)).toEqual([b])
    expect(project.db.prepare('SELECT COUNT(*) FROM run_metrics WHERE run_id = ?').pluck().get(a)).toBe(0)
    expect(project.db.prepare('SELECT COUNT(*) FROM run_log WHERE run_id = ?').pluck().get(a)).toBe(0)
    expect(project.db.prepare('SELECT COUNT(*) FROM predictions WHERE run_id = ?').pluck().get(a)).toBe(0)
    expect(project.blobs.has(checkpoint)).toBe(false)
    expect(project.blobs.has(own)).toBe(false)
    expect(project.blobs.has(tileOwn)).toBe(false)
    expect(project.blobs.has(shared)).toBe(true)
    expect(project.blobs.has(tileShared)).toBe(true)
    expect(project.blobs.has(accepted)).toBe(true)
    // The accepted revision stays, its run unknown now.
    expect(
      project.db.prepare('SELECT run_id FROM mask_revisions WHERE blob = ?').pluck().get(accepted),
    ).toBeNull()
    expect(project.blobs.has(mapOwn)).toBe(false)
    expect(project.blobs.has(mapTile)).toBe(false)
    // checkpoint, own prediction, a's slide manifest, its own tile, img1's map, the slide's map manifest, its tile.
    expect(removedBlobs).toBe(7)
  })

  it('changes nothing when the deletion fails inside its transaction', () => {
    const a = run()
    const img = image('one')
    const checkpoint = project.blobs.put(Buffer.from('checkpoint'))
    const prediction = project.blobs.put(Buffer.from('prediction'))
    replaceRunCheckpoint(project, a, checkpoint, { epoch: 1 })
    predict(a, img, prediction)
    project.db.exec(
      `CREATE TEMP TRIGGER refuse BEFORE DELETE ON runs BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    )
    expect(() => deleteRun(project, a)).toThrow(/disk on fire/)
    expect(getRun(project, a).checkpointBlob).toBe(checkpoint)
    expect(project.blobs.has(checkpoint)).toBe(true)
    expect(project.blobs.has(prediction)).toBe(true)
    expect(() => deleteRun(project, 999)).toThrow(/No run with id 999/)
  })

  it('keeps one checkpoint per run: a new one removes the one it replaces', () => {
    const a = run()
    const first = project.blobs.put(Buffer.from('epoch 1'))
    const second = project.blobs.put(Buffer.from('epoch 2'))
    replaceRunCheckpoint(project, a, first, { epoch: 1 })
    replaceRunCheckpoint(project, a, second, { epoch: 2 })
    expect(project.blobs.has(first)).toBe(false)
    expect(getRun(project, a)).toMatchObject({ checkpointBlob: second, progress: { epoch: 2 } })
  })
})

describe('a run page’s rows', () => {
  it('hides and shows a run, and keeps its log in order', () => {
    const a = run()
    expect(getRun(project, a).hidden).toBe(false)
    setRunHidden(project, a, true)
    expect(getRun(project, a).hidden).toBe(true)
    setRunHidden(project, a, false)
    expect(getRun(project, a).hidden).toBe(false)
    expect(() => setRunHidden(project, 42, true)).toThrow(/No run with id 42/)
    appendRunLog(project, a, 'first')
    appendRunLog(project, a, 'second')
    expect(runLog(project, a).map((l) => l.line)).toEqual(['first', 'second'])
  })
})
