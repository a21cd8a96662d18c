import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadMaskBlob, putMask } from '../data/maskRaster'
import { assertMaskEditable, evaluationSubset, lockEvaluationMasks } from '../store/evaluationMasks'
import { insertImage } from '../store/images'
import { commitMaskRevision, maskHead, undoMask } from '../store/masks'
import { closeProject, createProject, type Project } from '../store/project'
import { saveSplit } from '../store/splits'
import { acceptPrediction, comparePrediction, DIFFERENCE, differenceRegion } from './predictionReview'

// A 4 × 3 image. The annotator painted tumour (1) on the left half; the run predicts stroma (2) on the top row
// and tumour on the bottom right.
const W = 4
const H = 3
const MASK = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
const PRED = [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 1]

let dir: string
let p: Project
let train: number
let test: number
let runId: number

async function withPrediction(imageId: number): Promise<void> {
  commitMaskRevision(
    p,
    imageId,
    await putMask(p, { width: W, height: H, data: Uint8Array.from(MASK) }),
    'edit',
  )
  const blob = await putMask(p, { width: W, height: H, data: Uint8Array.from(PRED) })
  p.db.prepare('INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)').run(runId, imageId, blob)
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-review-'))
  p = createProject(path.join(dir, 'p'), {
    name: 'review',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  const image = (name: string) =>
    insertImage(p, { blob: name.padEnd(64, '0'), name, width: W, height: H, channels: 3, format: 'png' })
  train = image('a')
  test = image('b')
  saveSplit(p, {
    name: 'random',
    kind: 'random',
    seed: 1,
    assignments: new Map([
      [train, 'train'],
      [test, 'test'],
    ]),
  })
  runId = Number(
    p.db
      .prepare(
        `INSERT INTO runs (task, method, seed, config_json, dataset_version, status)
         VALUES ('segmentation', 'cross-teaching', 0, '{}', 'v', 'succeeded')`,
      )
      .run().lastInsertRowid,
  )
  await withPrediction(train)
  await withPrediction(test)
})

afterEach(() => {
  closeProject(p)
  fs.rmSync(dir, { recursive: true, force: true })
})

const headData = async (id: number) => [...(await loadMaskBlob(p, maskHead(p, id)!.blob)).data]

describe('accepting a prediction', () => {
  it('says what it would replace, counted by hand', async () => {
    const d = await comparePrediction(p, train, runId)
    // Top row: two tumour→stroma (changed), two unpainted→stroma (added); middle: two tumour→none (removed);
    // bottom: two tumour→none (removed), two unpainted→tumour (added).
    expect(d).toMatchObject({
      pixels: 12,
      maskPixels: 6,
      predictionPixels: 6,
      added: 4,
      removed: 4,
      changed: 2,
    })
    expect(d.mask?.kind).toBe('edit')
    expect(d.evaluation).toBeNull()
    expect((await comparePrediction(p, test, runId)).evaluation).toBe('test')
    const { added, removed, changed } = DIFFERENCE
    expect([...(await differenceRegion(p, train, runId, 0, 0, W, H))!]).toEqual([
      changed,
      changed,
      added,
      added,
      removed,
      removed,
      0,
      0,
      removed,
      removed,
      added,
      added,
    ])
  })

  it('replaces, or fills only where unpainted, as a revision recorded with its run', async () => {
    await acceptPrediction(p, train, runId, { mode: 'fillUnpainted', evaluationConfirmed: false })
    expect(await headData(train)).toEqual([1, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, 1])
    expect(maskHead(p, train)).toMatchObject({ kind: 'prediction', runId })
    await acceptPrediction(p, train, runId, { mode: 'replace', evaluationConfirmed: false })
    expect(await headData(train)).toEqual(PRED)
    // Each is one undo away.
    undoMask(p, train)
    expect(await headData(train)).toEqual([1, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, 1])
    undoMask(p, train)
    expect(await headData(train)).toEqual(MASK)
  })

  it('on a test image needs the evaluation data confirmed, and the lock refuses it and every edit', async () => {
    expect(evaluationSubset(p, test)).toBe('test')
    await expect(
      acceptPrediction(p, test, runId, { mode: 'replace', evaluationConfirmed: false }),
    ).rejects.toThrow(/test set: its mask is evaluation data/)
    expect(await headData(test)).toEqual(MASK)
    await acceptPrediction(p, test, runId, { mode: 'replace', evaluationConfirmed: true })
    expect(await headData(test)).toEqual(PRED)

    lockEvaluationMasks(p, true)
    await expect(
      acceptPrediction(p, test, runId, { mode: 'fillUnpainted', evaluationConfirmed: true }),
    ).rejects.toThrow(/evaluation ground truth, locked by the project setting/)
    expect(() => assertMaskEditable(p, test)).toThrow(/locked/)
    expect(() => assertMaskEditable(p, train)).not.toThrow()
  })
})

describe('undo', () => {
  it('never goes past the first saved or imported mask without saying so', async () => {
    expect(() => undoMask(p, train)).toThrow(/first saved mask of image \d+, leaving it without a mask/)
    const imported = await putMask(p, { width: W, height: H, data: new Uint8Array(W * H).fill(2) })
    commitMaskRevision(p, train, imported, 'import')
    expect(() => undoMask(p, train)).toThrow(/imported mask/)
    expect(maskHead(p, train)?.blob).toBe(imported)
    undoMask(p, train, { pastFirst: true })
    expect(await headData(train)).toEqual(MASK)
  })
})
