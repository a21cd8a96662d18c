import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAdamW } from '../../engine/optim/adam'
import { createSgd } from '../../engine/optim/sgd'
import { createSeededRandom } from '../../engine/seededRandom'
import type { Module } from '../../models/nn/module'
import { cassStep } from './cass'
import { buildDinoNet, type DinoNet } from './dinoNet'
import { dinoStep } from './dinoStep'
import { initTeacher } from './teacherEma'
import { buildBackbone } from './sslBackbone'

/**
 * DINO's and CASS's steps cut into micro-batches (gradient accumulation, for paper-sized runs in the wasm
 * heap) take the same update as the whole batch. On ViTs, which have no BatchNorm, the equality is exact
 * up to float rounding; a ResNet's BatchNorm would see each micro-batch's own statistics instead.
 */

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const B = 6
function random4d(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const r = createSeededRandom(seed)
  return tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()),
    shape,
  )
}

function weights(net: Module): number[][] {
  return net.namedParameters().map(([, s]) => Array.from(s.value.dataSync()))
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i][j]))))
}

describe('self-supervised steps in micro-batches', () => {
  const hyper = { outDim: 32, headHidden: 16, headBottleneck: 8, headLayers: 3, normLastLayer: true }
  const dinoParts = () => {
    const student = buildDinoNet('vit_tiny', hyper, 16, 0, 3)
    const teacher = buildDinoNet('vit_tiny', hyper, 16, 0, 3)
    initTeacher(teacher, student)
    const regularised = new Set(student.parameters().filter((p) => p.shape.length > 1))
    return {
      student,
      teacher,
      center: tf.variable(tf.zeros([1, 32]), false),
      optimizer: createAdamW({ learningRate: 1e-3, weightDecay: 0 }),
      regularised,
      frozen: new Set<tf.Variable>(),
    }
  }
  const dispose = (p: ReturnType<typeof dinoParts>) => {
    p.student.dispose()
    p.teacher.dispose()
    p.center.dispose()
    p.optimizer.dispose()
  }

  it('DINO: 3 micro-batches (2+1+1 images), or 2 cut crop by crop, give the batch-4 loss, terms, centre, student and teacher', () => {
    const n = 4
    const globals = random4d([2 * n, 16, 16, 3], 1)
    const locals = random4d([n, 8, 8, 3], 2)
    const views = { teacher: globals, student: [globals, locals], studentViews: [0, 1, 2] }
    const settings = {
      studentTemp: 0.1,
      teacherTemp: 0.04,
      lr: 1e-2,
      weightDecay: 0.04,
      clipGrad: 3,
      momentum: 0.9,
      centerMomentum: 0.9,
    }
    const whole = dinoParts()
    const split = dinoParts()
    const crops = dinoParts()
    const before = tf.memory().numTensors
    const a = dinoStep(whole, views, settings)
    const b = dinoStep(split, views, { ...settings, microBatches: 3 })
    const c = dinoStep(crops, views, { ...settings, microBatches: 2, viewByView: true })
    // Each optimiser made its moments on its first step; nothing else stays.
    expect(tf.memory().numTensors).toBe(before + 3 * 2 * whole.student.parameters().length)
    for (const r of [b, c]) {
      expect(r.dinoLoss).toBeCloseTo(a.dinoLoss, 5)
      expect(r.teacherEntropy).toBeCloseTo(a.teacherEntropy, 5)
      expect(r.klToCenter).toBeCloseTo(a.klToCenter, 5)
    }
    for (const p of [split, crops]) {
      const centre = Array.from(p.center.dataSync())
      expect(maxDiff([centre], [Array.from(whole.center.dataSync())])).toBeLessThan(1e-6)
    }
    // One student crop at a time (2 slices × 3 crops = 6 back-propagations): the same update.
    expect(maxDiff(weights(crops.student), weights(whole.student))).toBeLessThan(1e-5)
    const fresh = dinoParts()
    expect(maxDiff(weights(whole.student), weights(fresh.student))).toBeGreaterThan(1e-3)
    dispose(fresh)
    expect(maxDiff(weights(split.student), weights(whole.student))).toBeLessThan(1e-5)
    expect(maxDiff(weights(split.teacher as DinoNet), weights(whole.teacher))).toBeLessThan(1e-5)
    dispose(whole)
    dispose(split)
    dispose(crops)
    tf.dispose([globals, locals])
  })

  it('CASS: 3 micro-batches, or 2 network by network, give the batch-6 loss and both networks’ updates', () => {
    const x = random4d([B, 16, 16, 3], 3)
    const build = () => ({
      cnn: buildBackbone('vit_tiny', { imageSize: 16, headClasses: 8, seed: 1 }),
      vit: buildBackbone('vit_tiny', { imageSize: 16, headClasses: 8, seed: 2 }),
      // Plain SGD: Adam's first step is about lr·sign(g), which would magnify float rounding in tiny gradients.
      cnnOptimizer: createSgd({ learningRate: 0.5 }),
      vitOptimizer: createSgd({ learningRate: 0.5 }),
    })
    const whole = build()
    const split = build()
    const apart = build()
    // torchvision's ViT head starts at zero: give both the same non-zero head so the cosine has a gradient.
    for (const parts of [whole, split, apart]) {
      for (const net of [parts.cnn, parts.vit]) {
        const w = net.namedParameters().find(([n]) => n === 'heads.head.weight')![1].value
        w.assign(random4d([1, 1, ...(w.shape as [number, number])], 9).reshape(w.shape))
      }
    }
    const a = cassStep(whole, x)
    const b = cassStep(split, x, 3)
    expect(b).toBeCloseTo(a, 5)
    // One network at a time (the CNN against the ViT's fixed output, then the other way): the same update.
    expect(cassStep(apart, x, 2, true)).toBeCloseTo(a, 5)
    expect(maxDiff(weights(apart.cnn), weights(whole.cnn))).toBeLessThan(1e-5)
    expect(maxDiff(weights(apart.vit), weights(whole.vit))).toBeLessThan(1e-5)
    const fresh = build()
    expect(maxDiff(weights(whole.vit), weights(fresh.vit))).toBeGreaterThan(1e-3)
    for (const net of [fresh.cnn, fresh.vit]) net.dispose()
    expect(maxDiff(weights(split.cnn), weights(whole.cnn))).toBeLessThan(1e-5)
    expect(maxDiff(weights(split.vit), weights(whole.vit))).toBeLessThan(1e-5)
    for (const p of [whole, split, apart]) {
      p.cnn.dispose()
      p.vit.dispose()
      p.cnnOptimizer.dispose()
      p.vitOptimizer.dispose()
    }
    x.dispose()
  })
})
