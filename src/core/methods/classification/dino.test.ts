import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import type { TrainProgress } from '../method'
import { pretrainDino } from './dino'
import { dinoDefaults } from './dinoPresets'
import type { PretrainedBackbone } from './pretraining'
import type { DinoNet } from './dinoNet'
import { shapeImages } from './fixtures/shapeImages'
import { tensorsLeftBy } from './fixtures/tensorsLeftBy'
import { vitRecipeOnResnet } from './fixtures/vitRecipe'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// 16 images of 16 px, batches of 8: 2 steps per epoch on resnetTiny.
const images = shapeImages(16, 16, 1)
const quick = { epochs: 3, batchSize: 8 }

/** A quick DINO pretraining on `images` (seed 3), with every step's progress and the tensors it left behind. */
async function quickRun(hyper: Record<string, number | string>) {
  const progress: TrainProgress[] = []
  const { result, left } = await tensorsLeftBy(() =>
    pretrainDino({
      images,
      backbone: 'resnet_tiny',
      preset: 'quick',
      seed: 3,
      hyper,
      onProgress: (p) => progress.push(p),
    }),
  )
  return { result, left, progress }
}

function snapshot(net: DinoNet): Map<string, Float32Array> {
  return new Map(net.namedParameters().map(([n, s]) => [n, Float32Array.from(s.value.dataSync())]))
}

function maxDifference(a: TrainState, b: TrainState): number {
  let worst = 0
  for (const [k, v] of Object.entries(a)) {
    const w = b[k].values
    v.values.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - w[i]))))
  }
  return worst
}

describe('DINO pretraining', () => {
  it('updates the teacher only by EMA: θ_t = m·θ_t + (1 − m)·θ_s after every step, no gradient', async () => {
    let previousTeacher: Map<string, Float32Array> | null = null
    let checkedSteps = 0
    let worst = 0
    await pretrainDino({
      images,
      backbone: 'resnet_tiny',
      preset: 'quick',
      seed: 2,
      hyper: { ...quick, epochs: 2 },
      inspect: ({ student, teacher, momentum }) => {
        // The teacher is frozen: no optimiser or gradient ever sees its parameters.
        expect(teacher.parameters()).toEqual([])
        const s = snapshot(student)
        const t = snapshot(teacher)
        if (momentum === null) {
          // Before the first step the teacher is a copy of the student.
          for (const [n, v] of s) expect(Array.from(t.get(n)!)).toEqual(Array.from(v))
        } else {
          for (const [n, v] of t) {
            const before = previousTeacher!.get(n)!
            const st = s.get(n)!
            v.forEach(
              (x, i) =>
                (worst = Math.max(worst, Math.abs(x - (momentum * before[i] + (1 - momentum) * st[i])))),
            )
          }
          checkedSteps++
        }
        previousTeacher = t
      },
    })
    expect(checkedSteps).toBe(4)
    expect(worst).toBeLessThan(1e-6)
  })

  it('a short official run does not collapse, reports every term and leaks no tensors', async () => {
    const { result, left, progress } = await quickRun(quick)
    expect(left).toBe(0)
    expect(progress).toHaveLength(6)
    expect(Object.keys(progress[0].losses).sort()).toEqual([
      'dinoLoss',
      'klToCenter',
      'teacherEntropy',
      'teacherMomentum',
      'teacherTemp',
    ])
    const logK = Math.log(Number(dinoDefaults('quick').outDim))
    // Collapse shows as a uniform teacher (entropy → log K) or one prototype winning for every image
    // (entropy → 0); either way KL(teacher ‖ centre) → 0.
    for (const p of progress) {
      expect(p.losses.teacherEntropy).toBeGreaterThan(0.1 * logK)
      expect(p.losses.teacherEntropy).toBeLessThan(0.8 * logK)
      expect(p.losses.klToCenter).toBeGreaterThan(0.5)
    }
    // The teacher's momentum follows DINO's cosine to 1 (from 0.99 in the quick preset, 0.996 in paper).
    expect(progress[0].losses.teacherMomentum).toBeCloseTo(0.99, 6)
    // utils.cosine_scheduler's last value: 1 − 0.01·½(1 + cos(π·5/6)), just short of 1.
    expect(progress[5].losses.teacherMomentum).toBeCloseTo(1 - 0.005 * (1 + Math.cos((Math.PI * 5) / 6)), 9)
    expect(dinoDefaults('paper').momentumTeacher).toBe(0.996)
    expect(dinoDefaults('paper').lr).toBe(5e-4)
    // Warm-up: the learning rate climbs during the first epoch.
    expect(progress[1].lr).toBeGreaterThan(progress[0].lr)
    expect(result.state['conv1.weight'].shape).toEqual([7, 7, 3, 8])
    expect(Object.keys(result.state).some((k) => k.startsWith('fc.'))).toBe(false)
  })

  it('the centring spreads the teacher over the prototypes; without it one prototype keeps winning', async () => {
    // 24 steps of the quick official recipe in its ViT form (AdamW), as measured. Centring subtracts the
    // running mean of the teacher's outputs, so a prototype that wins for every image stops winning: the
    // teacher's entropy rises
    // (towards uniform, the collapse centring alone would cause, which sharpening holds off). With the
    // centre frozen at 0 (momentum 1) nothing spreads it. Measured 4 Dec: entropy over the first 6 steps
    // 1.82, over the last 6 3.29 (KL 1.56); frozen centre 1.69 and 1.66 (KL 3.89). Without the centre's
    // update in dinoStep the rise is −0.03 and this test fails.
    const entropyRise = async (hyper: Record<string, number>) => {
      const { progress } = await quickRun({ ...quick, ...vitRecipeOnResnet(), epochs: 12, ...hyper })
      const mean = (ps: TrainProgress[], term: string) =>
        ps.reduce((s, p) => s + p.losses[term], 0) / ps.length
      const first = progress.slice(0, 6)
      const last = progress.slice(-6)
      return {
        rise: mean(last, 'teacherEntropy') - mean(first, 'teacherEntropy'),
        lastEntropy: mean(last, 'teacherEntropy'),
        lastKl: mean(last, 'klToCenter'),
      }
    }
    const logK = Math.log(Number(dinoDefaults('quick').outDim))
    const centred = await entropyRise({})
    expect(centred.rise).toBeGreaterThan(0.8)
    // Spread, not yet collapsed: below uniform, and still far from the centre.
    expect(centred.lastEntropy).toBeLessThan(0.8 * logK)
    expect(centred.lastKl).toBeGreaterThan(0.5)
    const uncentred = await entropyRise({ centerMomentum: 1 })
    expect(uncentred.rise).toBeLessThan(0.3)
  })

  it("gives a ResNet DINO's convnet recipe (SGD 0.03, weight decay 1e-4, crops 0.14) and a ViT its own", () => {
    const resnet = dinoDefaults('paper', 'official', 'resnet50')
    expect(resnet).toMatchObject({
      optimizer: 'sgd',
      lr: 0.03,
      scaleLrByBatch: true,
      weightDecay: 1e-4,
      weightDecayEnd: 1e-4,
      globalScaleMin: 0.14,
      localScaleMax: 0.14,
    })
    // The rest stays main_dino.py's defaults, as the ViT's.
    const vit = dinoDefaults('paper', 'official', 'vit_b16')
    expect(vit).toMatchObject({ optimizer: 'adamw', lr: 5e-4, weightDecayEnd: 0.4, globalScaleMin: 0.4 })
    for (const k of ['momentumTeacher', 'clipGrad', 'outDim', 'localCrops', 'warmupEpochs', 'teacherTemp'])
      expect(resnet[k]).toBe(vit[k])
    expect(dinoDefaults('quick', 'official', 'resnet_tiny')).toMatchObject({
      optimizer: 'sgd',
      scaleLrByBatch: false,
    })
    // lucidrains' recipe (what S4MI ran) has one form for every backbone.
    expect(dinoDefaults('paper', 's4mi', 'resnet50')).toEqual(dinoDefaults('paper', 's4mi', 'vit_b16'))
  })

  it('trains on the two global crops alone (main_dino.py --local_crops_number 0)', async () => {
    const { result, left, progress } = await quickRun({ ...quick, epochs: 1, localCrops: 0 })
    expect(left).toBe(0)
    expect(progress).toHaveLength(2)
    // Two global crops: each is compared with the other only, so the loss is finite and positive.
    for (const p of progress) expect(p.losses.dinoLoss).toBeGreaterThan(0)
    expect(result.state['conv1.weight'].shape).toEqual([7, 7, 3, 8])
  })

  it('the collapse monitors fire on a run that collapses (lucidrains recipe at a high learning rate)', async () => {
    const { progress } = await quickRun({ ...quick, epochs: 6, dinoPreset: 's4mi', lr: 3e-3 })
    expect(Math.min(...progress.map((p) => p.losses.klToCenter))).toBeLessThan(0.3)
  })

  it('resumes after a kill at an epoch boundary and ends exactly where an uninterrupted run ends', async () => {
    const run = async (saves: Map<number, TrainState>, stopAfter: number | null, resume: boolean) => {
      const controller = new AbortController()
      return pretrainDino({
        images,
        backbone: 'resnet_tiny',
        preset: 'quick',
        seed: 4,
        hyper: quick,
        signal: controller.signal,
        checkpoint: {
          save: async (epoch, state) => {
            saves.set(epoch, state)
            if (epoch === stopAfter) controller.abort()
          },
          restore: async () => {
            if (!resume) return null
            const epoch = Math.max(...saves.keys())
            return { epoch, state: saves.get(epoch)! }
          },
        },
      })
    }
    const whole: PretrainedBackbone = await run(new Map(), null, false)
    const saves = new Map<number, TrainState>()
    await expect(run(saves, 1, false)).rejects.toThrow(/cancelled/)
    expect([...saves.keys()]).toEqual([1])
    const resumed = await run(saves, null, true)
    expect(maxDifference(resumed.state, whole.state)).toBe(0)
    expect(resumed.history.dinoLoss).toEqual(whole.history.dinoLoss.map((v) => expect.closeTo(v, 5)))
  })
})
