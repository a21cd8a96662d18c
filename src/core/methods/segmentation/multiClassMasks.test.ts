import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../../demo/createDemoProject'
import { closeProject } from '../../store/project'
import { crossTeachingMethod } from './crossTeaching'
import { loadSegmentationData, type ProjectSegmentationData } from './dataset'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import { allMasks } from './segmentationData'
import type { NetFactory } from './segmentationNet'
import { supervisedMethod } from './supervised'

/**
 * A project with three mask classes (the H&E demo: cell, vessel, necrosis) trains with one output per class
 * plus background and is scored per class: nothing on the way binarises the masks.
 */
let dir: string
let demo: DemoProject
let data: ProjectSegmentationData

/** A tiny net with as many outputs as the run asks for, remembering what it was asked. */
function countingNet(asked: number[], width = 8): NetFactory {
  return (spec) => {
    asked.push(spec.classes)
    return tinySegmentationNet(spec.classes, width)(spec)
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-multiclass-'))
  demo = await createDemoProject(path.join(dir, 'p'), {
    variant: 'multi-label',
    count: 12,
    slides: 0,
    seed: 5,
    labelFraction: 0.5,
  })
  data = await loadSegmentationData(demo.project, {
    splitId: demo.splitId,
    labelFractionId: demo.labelFractionId,
    size: 16,
    redChannel: false,
  })
})

afterAll(() => {
  closeProject(demo.project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const perClassKeys = (metrics: Record<string, number>) =>
  Object.keys(metrics)
    .filter((k) => k.startsWith('testIou:'))
    .sort()

describe('a project with three mask classes', { timeout: 120_000 }, () => {
  it('loads one class per mask class plus background, with the class values kept', async () => {
    expect(data.classes).toBe(4)
    expect(data.classNames).toEqual(['background', 'cell', 'vessel', 'necrosis'])
    const values = new Set((await allMasks(data.labelled, 16)).flatMap((m) => [...new Set(m)]))
    // Binarised masks would hold only 0 and 1.
    expect([...values].some((v) => v > 1)).toBe(true)
    expect(Math.max(...values)).toBeLessThan(4)
  })

  it('trains supervised with four outputs and scores each class by name', async () => {
    const asked: number[] = []
    const r = await supervisedMethod({ cnn: countingNet(asked) }).train({
      data,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 2, batchSize: 4 },
    })
    expect(asked).toEqual([4])
    const probs = r.predict(tf.zeros([1, 16, 16, 3])) as tf.Tensor
    expect(probs.shape).toEqual([1, 16, 16, 4])
    probs.dispose()
    const keys = perClassKeys(r.metrics)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.every((k) => ['testIou:cell', 'testIou:vessel', 'testIou:necrosis'].includes(k))).toBe(true)
    // The headline is the mean of the classes scored.
    const perClass = keys.map((k) => r.metrics[k])
    expect(r.metrics.testIou).toBeCloseTo(perClass.reduce((a, v) => a + v, 0) / perClass.length, 12)
    expect(r.metrics.testMeanIouWithBackground).toBeDefined()
    expect(r.metrics.testMeanIouTwoClass).toBeUndefined()
    r.dispose()
  })

  it('trains cross teaching with four outputs in both nets', async () => {
    const asked: number[] = []
    const r = await crossTeachingMethod({ cnn: countingNet(asked), swin: countingNet(asked, 4) }).train({
      data,
      preset: 'quick',
      seed: 0,
      hyper: { maxIterations: 3, labelledPerBatch: 2, unlabelledPerBatch: 2 },
    })
    expect(asked).toEqual([4, 4])
    expect(perClassKeys(r.metrics).length).toBeGreaterThan(0)
    r.dispose()
  })

  it('clusters PiCIE into one cluster per class unless K is set, and maps clusters to all classes', async () => {
    const hyper = { epochs: 1, batchSize: 6, initBatches: 1, updateBatches: 1, clusterBatchSize: 6 }
    const r = await picieMethod({ backbone: tinyFeatureNet(8) }).train({
      data,
      preset: 'quick',
      seed: 0,
      hyper,
    })
    expect(r.hyper.k).toBe(4)
    expect(String(r.hyper.clusterToClass).split(',').map(Number).sort()).toEqual([0, 1, 2, 3])
    const probs = r.predict(tf.zeros([1, 16, 16, 3])) as tf.Tensor
    expect(probs.shape).toEqual([1, 16, 16, 4])
    probs.dispose()
    r.dispose()
    const set = await picieMethod({ backbone: tinyFeatureNet(8) }).train({
      data,
      preset: 'quick',
      seed: 0,
      hyper: { ...hyper, k: 6 },
    })
    expect(set.hyper.k).toBe(6)
    expect(String(set.hyper.clusterToClass).split(',')).toHaveLength(6)
    set.dispose()
  })
})
