import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject } from '../demo/createDemoProject'
import { loadMaskBlob } from '../data/maskRaster'
import { encodeCheckpoint } from '../engine/checkpointCodec'
import { decodeSafetensors } from '../engine/safetensors'
import { captureNetState } from '../methods/netState'
import { predictProbabilities } from '../methods/segmentation/segmentationNet'
import { unetNet } from '../methods/segmentation/segmentationNets'
import { predictImageMask } from '../methods/segmentation/slidePrediction'
import { listImages } from '../store/images'
import { runPredictions } from '../store/predictions'
import { closeProject, type Project } from '../store/project'
import { addRunMetrics, createRun, getRun, runLog, updateRun } from '../store/runs'
import { exportModel, importModel } from './modelPackage'

let dir: string
let a: Project
let b: Project

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-model-'))
  a = (await createDemoProject(path.join(dir, 'a'), { count: 4, seed: 1 })).project
  b = (await createDemoProject(path.join(dir, 'b'), { count: 4, seed: 2 })).project
}, 120_000)
afterAll(() => {
  closeProject(a)
  closeProject(b)
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A finished supervised run in `a` whose checkpoint holds this net's weights (as best validation). */
function finishedRun(net: ReturnType<typeof unetNet>, method = 'supervised'): number {
  const id = createRun(a, {
    task: 'segmentation',
    method,
    labelFraction: 0.5,
    seed: 3,
    datasetVersion: 'data-v1',
    backend: 'cpu (test)',
    config: { task: 'segmentation', method, preset: 'quick', labelFraction: 0.5, seed: 3, overrides: {} },
  })
  const state = captureNetState({ cnn: net })
  const best = Object.fromEntries(Object.entries(state).map(([k, v]) => [`best.${k}`, v]))
  updateRun(a, id, {
    status: 'running',
    checkpointBlob: a.blobs.put(encodeCheckpoint(4, { ...state, ...best })),
  })
  addRunMetrics(a, id, [
    { subset: 'final', name: 'testIou', value: 0.61 },
    { subset: 'final', name: 'bestEpoch', value: 4 },
  ])
  updateRun(a, id, { status: 'succeeded' })
  return id
}

describe('model export and import', () => {
  it('exports safetensors with a card, and another project predicts with it exactly as the net does', async () => {
    const net = unetNet({ preset: 'quick', size: 32, classes: 2, seed: 7 })
    try {
      const runId = finishedRun(net)
      const { safetensors, card } = exportModel(a, runId)
      expect(card).toMatchObject({
        task: 'segmentation',
        method: 'supervised',
        methodName: 'Supervised U-Net',
        backbone: 'small U-Net (quick)',
        preset: 'quick',
        outputs: ['background', 'foreground'],
        dataVersion: 'data-v1',
        seed: 3,
        backend: 'cpu (test)',
        runId,
      })
      expect(card.hyperparameters.imageSize).toBe(32)
      // Evaluation metrics only, each with its definition.
      expect(card.metrics).toEqual([
        expect.objectContaining({ name: 'testIou', label: 'test IoU (dataset-level)', value: 0.61 }),
      ])
      expect(card.metrics[0].definition).toMatch(/TP \/ \(TP \+ FP \+ FN\)/)
      const { tensors } = decodeSafetensors(safetensors)
      expect(Object.keys(tensors).length).toBe(card.weights.tensors)
      expect(Object.keys(tensors).every((k) => !k.startsWith('best.') && !k.startsWith('cnn.'))).toBe(true)

      const imported = await importModel(b, safetensors, card)
      const run = getRun(b, imported)
      expect(run).toMatchObject({ status: 'succeeded', hidden: true, method: 'supervised' })
      expect(runLog(b, imported)[0].line).toMatch(/Imported Supervised U-Net .*\(run \d+, data data-v1\)/)
      const stored = runPredictions(b, imported)
      const images = listImages(b)
      expect(stored.map((p) => p.imageId)).toEqual(images.map((i) => i.id))
      const direct = (x: tf.Tensor4D) => predictProbabilities(net, x)
      for (const image of images.slice(0, 2)) {
        const want = await predictImageMask(b, image, direct, { size: 32, redChannel: false, classes: 2 })
        const got = await loadMaskBlob(b, stored.find((p) => p.imageId === image.id)!.blob)
        expect(Buffer.from(got.data).equals(Buffer.from(want))).toBe(true)
      }
      // The imported run exports again, with the same weights.
      expect(exportModel(b, imported).card.weights.sha256).toBe(card.weights.sha256)
    } finally {
      net.dispose()
    }
  }, 120_000)

  it('refuses weights that are not the card’s, and methods whose models are not exportable', () => {
    const net = unetNet({ preset: 'quick', size: 32, classes: 2, seed: 8 })
    try {
      const { safetensors, card } = exportModel(a, finishedRun(net))
      const tampered = Buffer.from(safetensors)
      tampered[tampered.length - 1] ^= 1
      return expect(importModel(b, tampered, card)).rejects.toThrow(/not the one the model card describes/)
    } finally {
      expect(() => exportModel(a, finishedRun(net, 'picie'))).toThrow(/PiCIE models cannot be exported/)
      net.dispose()
    }
  })
})
