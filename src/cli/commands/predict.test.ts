import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLoopProject, type LoopProject } from '../../core/train/fixtures/loopProject'
import { createDemoProject } from '../../core/demo/createDemoProject'
import { listImages } from '../../core/store/images'
import { setImageLabels } from '../../core/store/labels'
import { closeProject } from '../../core/store/project'
import { finishedClassifierRun } from '../../core/train/fixtures/classifierRun'
import { capturedCli as cli } from '../fixtures/capturedCli'

let dir: string
let loop: LoopProject

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-predict-'))
  loop = await createLoopProject(path.join(dir, 'p'))
  loop.cnn.dispose()
  loop.swin.dispose()
  closeProject(loop.project)
}, 60_000)

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('s4mi predict and s4mi next', () => {
  it('predicts the unlabelled images, writes the masks, then ranks them by disagreement', async () => {
    const p = path.join(dir, 'p')
    const out = path.join(dir, 'masks')
    const r = await cli(['predict', p, '--run', String(loop.crossRun), '--out', out, '--backend', 'cpu'])
    // Standard error carries the backend and progress lines, no failure (the CLI's are 's4mi: …').
    expect(r.err).not.toMatch(/^s4mi:/m)
    expect(r.out).toMatch(/predicted 2 images; uncertainty: entropy, disagreement/)
    expect(fs.readdirSync(out)).toContain('predictions.coco.json')
    const n = await cli([
      'next',
      p,
      '--run',
      String(loop.crossRun),
      '--strategy',
      'disagreement',
      '--count',
      '1',
      '--json',
    ])
    expect(n.code).toBe(0)
    const listed = JSON.parse(n.out)
    expect(listed.strategy).toBe('disagreement')
    expect(listed.images).toHaveLength(1)
    expect(loop.unlabelled).toContain(listed.images[0].imageId)
  })

  it('refuses clearly: Monte Carlo dropout on a U-Net, an unknown run, a bad image list', async () => {
    const p = path.join(dir, 'p')
    const mc = await cli([
      'next',
      p,
      '--run',
      String(loop.supervisedRun),
      '--strategy',
      'mc-dropout',
      '--backend',
      'cpu',
    ])
    expect(mc.code).toBe(1)
    expect(mc.err).toMatch(/U-Net has no dropout/)
    expect((await cli(['predict', p, '--run', '99'])).err).toMatch(/run/i)
    expect((await cli(['predict', p, '--run', '1', '--images', 'some'])).err).toMatch(
      /--images takes unlabelled, all/,
    )
  })
})

describe('s4mi predict with a classification run', () => {
  it('predicts the images without labels, writes their labels and probabilities as CSV, and ranks them', async () => {
    const p = path.join(dir, 'c')
    const demo = await createDemoProject(p, { count: 8, seed: 2 })
    const unlabelled = listImages(demo.project)
      .filter((i) => i.subset === 'train')
      .slice(0, 2)
    for (const i of unlabelled) setImageLabels(demo.project, i.id, null)
    const runId = finishedClassifierRun(demo.project, 4)
    closeProject(demo.project)
    const out = path.join(dir, 'labels-out')
    const r = await cli(['predict', p, '--run', String(runId), '--out', out, '--backend', 'cpu'])
    // Standard error carries the backend and progress lines, no failure (the CLI's are 's4mi: …').
    expect(r.err).not.toMatch(/^s4mi:/m)
    expect(r.out).toMatch(/predicted 2 images; uncertainty: entropy/)
    const csv = fs.readFileSync(path.join(out, 'label-predictions.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('image,predicted,p(nevus),p(melanoma),p(keratosis)')
    expect(
      csv
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(unlabelled.map((i) => i.name).sort())
    for (const line of csv.slice(1)) {
      const [, predicted, ...p] = line.split(',')
      const values = p.map(Number)
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
      expect(predicted).toBe(['nevus', 'melanoma', 'keratosis'][values.indexOf(Math.max(...values))])
    }
    // Never over an existing export.
    const again = await cli(['predict', p, '--run', String(runId), '--out', out, '--backend', 'cpu'])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already holds files/)
    const n = await cli(['next', p, '--run', String(runId), '--strategy', 'entropy', '--json'])
    expect(n.code).toBe(0)
    expect(
      JSON.parse(n.out)
        .images.map((i: { imageId: number }) => i.imageId)
        .sort(),
    ).toEqual(unlabelled.map((i) => i.id).sort())
  }, 60_000)
})
