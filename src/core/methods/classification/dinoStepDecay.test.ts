import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSgd } from '../../engine/optim/sgd'
import { createSeededRandom } from '../../engine/seededRandom'
import { buildDinoNet } from './dinoNet'
import { dinoStep, type DinoStepSettings } from './dinoStep'
import { initTeacher } from './teacherEma'

/**
 * DINO's convnet recipe trains with torch.optim.SGD (momentum 0.9, weight decay 1e-4): its decay is added
 * to the gradient, after main_dino.py's clipping, and so runs through the momentum buffer. dinoStep
 * applies it itself (the rate of decay changes every step); two steps must equal the engine's SGD with
 * its own weight decay (checked against torch in optim.test.ts) on the regularised weights only.
 */

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function random4d(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const r = createSeededRandom(seed)
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal())
  return tf.tensor4d(values, shape)
}

describe('DINO step with SGD', () => {
  const hyper = { outDim: 32, headHidden: 16, headBottleneck: 8, headLayers: 3, normLastLayer: true }
  const wd = 0.05
  const parts = (decayInOptimizer: boolean) => {
    const student = buildDinoNet('vit_tiny', hyper, 16, 0, 3)
    const teacher = buildDinoNet('vit_tiny', hyper, 16, 0, 3)
    initTeacher(teacher, student)
    const regularised = new Set(student.parameters().filter((p) => p.shape.length > 1))
    const optimizer = createSgd({
      learningRate: 0.05,
      momentum: 0.9,
      ...(decayInOptimizer ? { weightDecay: wd, excludeFromWeightDecay: (p) => !regularised.has(p) } : {}),
    })
    const center = tf.variable(tf.zeros([1, 32]), false)
    return { student, teacher, center, optimizer, regularised, frozen: new Set<tf.Variable>() }
  }
  const settings: DinoStepSettings = {
    studentTemp: 0.1,
    teacherTemp: 0.04,
    lr: 0.05,
    weightDecay: wd,
    clipGrad: 3,
    momentum: 0.9,
    centerMomentum: 0.9,
  }
  const weights = (p: ReturnType<typeof parts>) =>
    p.student.namedParameters().map(([name, s]) => ({ name, values: Array.from(s.value.dataSync()) }))
  const maxDiff = (a: ReturnType<typeof weights>, b: ReturnType<typeof weights>) =>
    Math.max(...a.flatMap((w, i) => w.values.map((x, j) => Math.abs(x - b[i].values[j]))))

  it("adds the decay to the clipped gradient, as torch.optim.SGD's weight_decay, over two steps", () => {
    const globals = random4d([8, 16, 16, 3], 1)
    const locals = random4d([4, 8, 8, 3], 2)
    const views = { teacher: globals, student: [globals, locals], studentViews: [0, 1, 2] }
    const ours = parts(false)
    const torchLike = parts(true)
    const decoupled = parts(false)
    const before = tf.memory().numTensors
    for (let step = 0; step < 2; step++) {
      dinoStep(ours, views, { ...settings, weightDecayCoupled: true })
      dinoStep(torchLike, views, { ...settings, weightDecay: 0 })
      dinoStep(decoupled, views, settings)
    }
    // Each SGD made its momentum buffers on its first step; nothing else stays.
    expect(tf.memory().numTensors).toBe(before + 3 * ours.student.parameters().length)
    expect(maxDiff(weights(ours), weights(torchLike))).toBeLessThan(1e-6)
    // AdamW-style decay on the weights would leave the momentum buffer without it: a different second step.
    expect(maxDiff(weights(decoupled), weights(torchLike))).toBeGreaterThan(1e-5)
    for (const p of [ours, torchLike, decoupled]) {
      p.student.dispose()
      p.teacher.dispose()
      p.center.dispose()
      p.optimizer.dispose()
    }
    tf.dispose([globals, locals])
  })
})
