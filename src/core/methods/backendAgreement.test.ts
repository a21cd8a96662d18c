// Every training method, run twice from the same seed: on the wasm backend (what a lab's CPU trains on) and on
// tfjs's pure-JS cpu backend, a second implementation of every kernel. Each step's loss terms must agree to
// float32 rounding. This caught two kernels computing the wrong thing: tfjs-wasm's CropAndResize on
// whole-width crops (DINO drifted 1 % in four steps) and tfjs-cpu's Transform, which transformed one image
// per batch (CASS's losses 6 % apart from the first step). Then every method of the catalogue with its real
// quick networks (U-Net, Swin-UNet, PiCIE's FPN, the classifiers, DINO and CASS with fine-tuning): every step's
// losses and the final scores. WebGPU and WebGL: tests/gpu/gpuMethodTraining.
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../engine/backend/wasmBackend'
import { catalogueEntries } from './catalogue'
import { pretrainCass } from './classification/cass'
import { pretrainDino } from './classification/dino'
import { shapeImages } from './classification/fixtures/shapeImages'
import { tinyRunHyper, trainOnce } from './fixtures/tinyRuns'
import type { TrainProgress } from './method'
import { crossTeachingMethod } from './segmentation/crossTeaching'
import { blobData } from './segmentation/fixtures/blobData'
import { tinyFeatureNet, tinySegmentationNet } from './segmentation/fixtures/tinyNets'
import { picieMethod } from './segmentation/picie'
import { supervisedMethod } from './segmentation/supervised'

// Measured worst when this was written: 1.0e-6 (PiCIE's within-view term).
const TOLERANCE = 2e-5
// With the real quick networks: 4.8e-5, the supervised classifier's fine-tuning loss at its third step (Adam's
// first steps scale each weight's update by its gradient's size, so rounding grows faster than under SGD).
const REAL_NET_TOLERANCE = 1e-4

type Run = (onProgress: (p: TrainProgress) => void) => Promise<unknown>
const disposed = (r: { dispose(): void }) => r.dispose()

const runs: Record<string, Run> = {
  'supervised segmentation': (onProgress) =>
    supervisedMethod({ cnn: tinySegmentationNet() })
      .train({
        data: blobData({ size: 16, labelled: 8 }),
        preset: 'quick',
        seed: 1,
        hyper: { epochs: 2, batchSize: 4 },
        onProgress,
      })
      .then(disposed),
  'cross teaching': (onProgress) =>
    crossTeachingMethod({ cnn: tinySegmentationNet(2, 8), swin: tinySegmentationNet(2, 4) })
      .train({
        data: blobData({ size: 16, labelled: 8, unlabelled: 8 }),
        preset: 'quick',
        seed: 3,
        hyper: { maxIterations: 4 },
        onProgress,
      })
      .then(disposed),
  PiCIE: (onProgress) =>
    picieMethod({ backbone: tinyFeatureNet(8) })
      .train({
        data: blobData({ size: 16, labelled: 0, unlabelled: 12, val: 6, test: 6, seed: 5 }),
        preset: 'quick',
        seed: 2,
        hyper: { epochs: 2, batchSize: 6, initBatches: 2, updateBatches: 1 },
        onProgress,
      })
      .then(disposed),
  'DINO, ResNet': (onProgress) =>
    pretrainDino({
      images: shapeImages(16, 16, 1),
      backbone: 'resnet_tiny',
      preset: 'quick',
      seed: 3,
      hyper: { epochs: 2, batchSize: 8 },
      onProgress,
    }),
  'DINO, ViT': (onProgress) =>
    pretrainDino({
      images: shapeImages(16, 16, 1),
      backbone: 'vit_tiny',
      preset: 'quick',
      seed: 3,
      hyper: { epochs: 2, batchSize: 8 },
      onProgress,
    }),
  CASS: (onProgress) =>
    pretrainCass({
      images: shapeImages(16, 16, 1),
      cnn: 'resnet_tiny',
      vit: 'vit_tiny',
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 2, batchSize: 8 },
      onProgress,
    }),
}

async function lossesOn(backend: 'wasm' | 'cpu', run: Run): Promise<Record<string, number>[]> {
  if (backend === 'wasm') await useWasmBackend()
  else await tf.setBackend('cpu')
  const steps: Record<string, number>[] = []
  await run((p) => steps.push({ ...p.losses }))
  return steps
}

/** The worst relative difference over every step's every loss term, and where. */
function worstDifference(
  a: Record<string, number>[],
  b: Record<string, number>[],
): { error: number; at: string } {
  if (a.length !== b.length) return { error: Infinity, at: `${a.length} steps against ${b.length}` }
  let worst = { error: 0, at: '' }
  a.forEach((terms, step) => {
    for (const [term, value] of Object.entries(terms)) {
      const other = b[step][term]
      // Terms reported only at some steps (validation scores) are null elsewhere, and a score with nothing to
      // score (F1 of a class with no images and no predictions) NaN: the same on both is agreement.
      if (Object.is(value, other)) continue
      const error = Math.abs(value - other) / Math.max(Math.abs(other), 1e-6)
      if (!(error <= worst.error))
        worst = { error, at: `step ${step + 1}, ${term}: ${value} against ${other}` }
    }
  })
  return worst
}

describe('every method trains the same on wasm as on the cpu backend', () => {
  afterAll(() => tf.disposeVariables())

  it.each(Object.keys(runs))(
    '%s: every step, every loss term',
    async (name) => {
      const wasm = await lossesOn('wasm', runs[name])
      const cpu = await lossesOn('cpu', runs[name])
      expect(wasm.length).toBeGreaterThanOrEqual(4)
      const worst = worstDifference(wasm, cpu)
      expect(worst.error, worst.at).toBeLessThan(TOLERANCE)
    },
    120_000,
  )

  it('would see a wrong kernel: a 0.01 % change in one term is over the tolerance', () => {
    const steps = [{ total: 0.5, dice: 0.25 }]
    expect(worstDifference([{ total: 0.5, dice: 0.25 * 1.0001 }], steps).error).toBeGreaterThan(TOLERANCE)
    expect(worstDifference([{ total: 0.5, dice: Number.NaN }], steps).error).toBeNaN()
  })
})

describe('every method of the catalogue, with its real quick networks, the same on wasm as on cpu', () => {
  afterAll(() => tf.disposeVariables())

  const entries = catalogueEntries()
    .filter((e) => e.runner)
    .map((e) => `${e.task}/${e.id}`)
  it('covers the catalogue', () => expect(entries.sort()).toEqual(Object.keys(tinyRunHyper).sort()))

  it.each(entries)(
    '%s: every step, every loss term, and the scores',
    async (name) => {
      const [task, id] = name.split('/')
      const runOn = async (backend: 'wasm' | 'cpu') => {
        if (backend === 'wasm') await useWasmBackend()
        else await tf.setBackend('cpu')
        const steps: Record<string, number>[] = []
        const metrics = await trainOnce(task, id, 0, (p) => steps.push({ ...p.losses }))
        return { steps, metrics }
      }
      const wasm = await runOn('wasm')
      const cpu = await runOn('cpu')
      expect(wasm.steps.length).toBeGreaterThanOrEqual(2)
      const worst = worstDifference(wasm.steps, cpu.steps)
      expect(worst.error, worst.at).toBeLessThan(REAL_NET_TOLERANCE)
      expect(Object.keys(wasm.metrics).sort()).toEqual(Object.keys(cpu.metrics).sort())
      for (const [metric, value] of Object.entries(wasm.metrics))
        expect(Math.abs(value - cpu.metrics[metric]), metric).toBeLessThan(
          1e-4 * Math.max(1, Math.abs(value)),
        )
    },
    300_000,
  )
})
