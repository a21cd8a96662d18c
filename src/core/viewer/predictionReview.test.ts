import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadMaskBlob, putMask } from '../data/maskRaster'
import { assertMaskEditable, evaluationSubset, lockEvaluationMasks } from '../store/evaluationMasks'
import { insertImage } from '../store/images'
import { commitMaskRevision, maskHead, undoMask } from '../store/masks'
import { getImage } from '../store/images'
import { putPredictionProbabilities } from '../store/predictions'
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

// The run's probability maps (8-bit, round(255·p)) for the 4 × 3 image: "any mask class" and stroma's own.
// Confidence of each pixel's predicted class: stroma's map where it predicts stroma (2), the any-class map
// where it predicts tumour (1, no map of its own kept here), 255 − any-class where it predicts background.
const ANY = [250, 250, 250, 250, 10, 200, 40, 30, 20, 20, 240, 100]
const STROMA = [240, 200, 229, 230, 0, 0, 0, 0, 0, 0, 0, 0]
// Confidence:  240 200 229 230 | 245 55 215 225 | 235 235 240 100; the cut at 0.9 is round(229.5) = 230.
async function withProbabilities(imageId: number): Promise<void> {
  const put = async (v: number[]) => putMask(p, { width: W, height: H, data: Uint8Array.from(v) })
  putPredictionProbabilities(
    p,
    runId,
    imageId,
    new Map([
      [0, await put(ANY)],
      [2, await put(STROMA)],
    ]),
  )
}

describe('accepting only confident pixels', () => {
  it('takes the predicted class where its probability reaches the threshold, by hand', async () => {
    await withProbabilities(train)
    // MASK 1 1 0 0 | 1 1 0 0 | 1 1 0 0 ; PRED 2 2 2 2 | 0 0 0 0 | 0 0 1 1
    // Confident at 230: pixels 0, 3 (stroma), 4 (background 245), 8, 9 (background 235), 10 (tumour 240).
    const compare = await comparePrediction(p, train, runId, { mode: 'confident', threshold: 0.9 })
    // Pixel 0: tumour → stroma (changed); 3: added stroma; 4, 8, 9: tumour erased (removed); 10: added tumour.
    expect([compare.added, compare.removed, compare.changed]).toEqual([2, 3, 1])
    await acceptPrediction(p, train, runId, { mode: 'confident', threshold: 0.9, evaluationConfirmed: false })
    const head = maskHead(p, train)!
    expect(head).toMatchObject({ kind: 'prediction', runId, reviewed: true })
    expect([...(await loadMaskBlob(p, head.blob)).data]).toEqual([2, 1, 0, 2, 0, 1, 0, 0, 0, 0, 1, 0])
    const row = p.db
      .prepare('SELECT accept_mode AS m, accept_threshold AS t FROM mask_revisions WHERE id = ?')
      .get(head.id)
    expect(row).toEqual({ m: 'confident', t: 0.9 })
    // A lower threshold takes more: at 0.2 (51) every pixel but the last is sure enough.
    const low = await comparePrediction(p, train, runId, { mode: 'confident', threshold: 0.2 })
    expect(low.added + low.removed + low.changed).toBeGreaterThan(0)
    expect(
      await differenceRegion(p, train, runId, 0, 0, W, H, { mode: 'confident', threshold: 1 }),
    ).toBeNull()
  })

  it('is refused, saying why, for a run that kept no probabilities', async () => {
    await expect(
      acceptPrediction(p, train, runId, { mode: 'confident', evaluationConfirmed: false }),
    ).rejects.toThrow(/kept no probabilities/)
    expect(maskHead(p, train)!.kind).toBe('edit')
  })
})

describe('the reviewed state', () => {
  it('comes with an accepted prediction, stays through corrections, leaves with undo, and an import is hand-made', async () => {
    expect(getImage(p, train)).toMatchObject({ hasMask: true, maskReviewed: false })
    await acceptPrediction(p, train, runId, { mode: 'fillUnpainted', evaluationConfirmed: false })
    expect(getImage(p, train).maskReviewed).toBe(true)
    const accepted = maskHead(p, train)!
    expect(p.db.prepare('SELECT accept_mode AS m FROM mask_revisions WHERE id = ?').get(accepted.id)).toEqual(
      {
        m: 'fillUnpainted',
      },
    )
    // A correction painted on it: still reviewed (drawn from the model's proposal).
    commitMaskRevision(p, train, accepted.blob, 'edit')
    expect(maskHead(p, train)!.reviewed).toBe(true)
    expect(getImage(p, train).maskReviewed).toBe(true)
    undoMask(p, train)
    undoMask(p, train)
    expect(getImage(p, train).maskReviewed).toBe(false)
    commitMaskRevision(p, train, accepted.blob, 'import')
    expect(getImage(p, train).maskReviewed).toBe(false)
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
