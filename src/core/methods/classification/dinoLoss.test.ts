import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { dinoLoss, teacherTemperature, updateCenter } from './dinoLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ln3 = Math.log(3)
/** H(p, q) = −Σ p log q for two-class distributions. */
const h = (p: number, q: number) => -(p * Math.log(q) + (1 - p) * Math.log(1 - q))

// One image (B = 1), K = 2. With centre [½ln3, 0] and τ_t = ½ the teacher's crops become
// softmax([ln3, 0]) = (¾, ¼) and softmax([0, 0]) = (½, ½); with τ_s = 2 the student's three crops are
// (½, ½), (¾, ¼) and (¼, ¾).
const teacher = () =>
  tf.tensor2d([
    [ln3, 0],
    [0.5 * ln3, 0],
  ])
const center = () => tf.tensor2d([[0.5 * ln3, 0]])
const student = () =>
  tf.tensor2d([
    [0, 0],
    [2 * ln3, 0],
    [0, 2 * ln3],
  ])
const official = { studentTemp: 2, teacherTemp: 0.5, studentViews: [0, 1, 2] }

describe('dinoLoss', () => {
  it('is the mean cross-entropy over the pairs of different views, hand-computed', () => {
    const t = dinoLoss(student(), teacher(), center(), official)
    // Kept pairs: (t0, s1), (t0, s2), (t1, s0), (t1, s2); (t0, s0) and (t1, s1) share a view.
    const expected = (h(0.75, 0.75) + h(0.75, 0.25) + h(0.5, 0.5) + h(0.5, 0.25)) / 4
    expect(t.loss.arraySync()).toBeCloseTo(expected, 5)
    expect(t.teacherEntropy.arraySync()).toBeCloseTo((h(0.75, 0.75) + Math.log(2)) / 2, 5)
    expect(Array.from(t.batchCenter.dataSync())).toEqual([
      expect.closeTo(0.75 * ln3, 6),
      expect.closeTo(0, 6),
    ])
  })

  it('differs when a part is wrong: no centring, other temperatures, same-view pairs kept', () => {
    const right = dinoLoss(student(), teacher(), center(), official).loss.arraySync()
    const noCentre = dinoLoss(student(), teacher(), tf.zeros([1, 2]), official).loss.arraySync()
    const swapped = dinoLoss(student(), teacher(), center(), {
      ...official,
      studentTemp: 0.5,
      teacherTemp: 2,
    }).loss.arraySync()
    // Views 5, 6, 7 never match a teacher crop: all six pairs are kept.
    const allPairs = dinoLoss(student(), teacher(), center(), {
      ...official,
      studentViews: [5, 6, 7],
    }).loss.arraySync()
    const expectedAll =
      (h(0.75, 0.5) + h(0.75, 0.75) + h(0.75, 0.25) + h(0.5, 0.5) + h(0.5, 0.75) + h(0.5, 0.25)) / 6
    expect(allPairs).toBeCloseTo(expectedAll, 5)
    for (const wrong of [noCentre, swapped, allPairs]) expect(Math.abs(wrong - right)).toBeGreaterThan(0.01)
  })

  it('pairs the lucidrains way when the student sees one local crop per augmented image', () => {
    // Student crops: local of image 0, local of image 1 → pairs (t0, s1) and (t1, s0) only.
    const s = tf.tensor2d([
      [0, 0],
      [0, 2 * ln3],
    ])
    const t = dinoLoss(s, teacher(), center(), { studentTemp: 2, teacherTemp: 0.5, studentViews: [0, 1] })
    expect(t.loss.arraySync()).toBeCloseTo((h(0.75, 0.25) + h(0.5, 0.5)) / 2, 5)
  })

  it('averages over the batch and matches a plain loop on random outputs (B = 3, K = 5, 4 crops)', () => {
    const B = 3
    const K = 5
    const views = [0, 1, 2, 3]
    const s = tf.randomNormal([views.length * B, K], 0, 1, 'float32', 1) as tf.Tensor2D
    const te = tf.randomNormal([2 * B, K], 0, 1, 'float32', 2) as tf.Tensor2D
    const c = tf.randomNormal([1, K], 0, 0.3, 'float32', 3)
    const got = dinoLoss(s, te, c, { studentTemp: 0.1, teacherTemp: 0.04, studentViews: views })
    const S = s.arraySync()
    const T = te.arraySync()
    const C = c.arraySync() as number[][]
    const softmax = (x: number[]) => {
      const m = Math.max(...x)
      const e = x.map((v) => Math.exp(v - m))
      const z = e.reduce((a, b) => a + b, 0)
      return e.map((v) => v / z)
    }
    let total = 0
    let n = 0
    for (let t = 0; t < 2; t++) {
      for (let v = 0; v < views.length; v++) {
        if (v === t) continue
        let mean = 0
        for (let b = 0; b < B; b++) {
          const q = softmax(T[t * B + b].map((x, j) => (x - C[0][j]) / 0.04))
          const p = softmax(S[v * B + b].map((x) => x / 0.1))
          mean += -q.reduce((acc, qj, j) => acc + qj * Math.log(p[j]), 0) / B
        }
        total += mean
        n++
      }
    }
    expect(got.loss.arraySync()).toBeCloseTo(total / n, 4)
  })

  it('sends no gradient into the teacher or the centre', () => {
    const [gs, gt, gc] = tf.grads(
      (s: tf.Tensor, t: tf.Tensor, c: tf.Tensor) =>
        dinoLoss(s as tf.Tensor2D, t as tf.Tensor2D, c, official).loss,
    )([student(), teacher(), center()])
    expect(tf.max(tf.abs(gs)).arraySync()).toBeGreaterThan(0)
    expect(tf.max(tf.abs(gt)).arraySync()).toBe(0)
    expect(tf.max(tf.abs(gc)).arraySync()).toBe(0)
  })

  it('reports KL to the centre as 0 when every image gets the centre as its teacher output', () => {
    const same = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
    ])
    const t = dinoLoss(tf.zeros([4, 3]), same, tf.tensor2d([[1, 2, 3]]), {
      studentTemp: 0.1,
      teacherTemp: 0.04,
      studentViews: [0, 1],
    })
    expect(t.klToCenter.arraySync()).toBeCloseTo(0, 6)
    // A flat centred teacher is the uniform collapse: entropy log K.
    expect(t.teacherEntropy.arraySync()).toBeCloseTo(Math.log(3), 5)
  })

  it('rejects crops that do not split evenly and all-same-view pairings', () => {
    expect(() => dinoLoss(tf.zeros([5, 2]), tf.zeros([2, 2]), tf.zeros([1, 2]), official)).toThrow(/split/)
    expect(() =>
      dinoLoss(tf.zeros([1, 2]), tf.zeros([1, 2]), tf.zeros([1, 2]), {
        ...official,
        studentViews: [0],
      }),
    ).toThrow(/shares a view/)
  })

  it('refuses temperatures ≤ 0 and teacher outputs of another width or batch', () => {
    expect(() => dinoLoss(student(), teacher(), center(), { ...official, studentTemp: 0 })).toThrow(
      /temperatures must be > 0, got student 0, teacher 0.5/,
    )
    expect(() => dinoLoss(student(), teacher(), center(), { ...official, teacherTemp: 0 })).toThrow(
      /got student 2, teacher 0/,
    )
    expect(() => dinoLoss(student(), tf.zeros([2, 3]), center(), official)).toThrow(
      /teacher output \[2,3\] does not fit student \[3,2\]/,
    )
    // 2 images per crop (6 rows over 3 crops), a teacher with 3 rows: not whole crops.
    expect(() => dinoLoss(tf.zeros([6, 2]), tf.zeros([3, 2]), center(), official)).toThrow(/does not fit/)
  })
})

describe('centre and teacher temperature', () => {
  it('the centre follows its EMA: c_k = m^k c_0 + (1 − m) Σ m^(k−i) x_i', () => {
    const c = tf.variable(tf.tensor2d([[1, -1]]))
    const xs = [
      [2, 0],
      [0, 4],
      [-2, 2],
    ]
    const m = 0.9
    let expected = [1, -1]
    for (const x of xs) {
      updateCenter(c, tf.tensor2d([x]), m)
      expected = expected.map((e, j) => m * e + (1 - m) * x[j])
    }
    const got = Array.from(c.dataSync())
    got.forEach((v, j) => expect(v).toBeCloseTo(expected[j], 6))
    c.dispose()
  })

  it('takes a centre momentum in [0, 1] only, both ends included', () => {
    const c = tf.variable(tf.tensor2d([[1, 3]]))
    const x = tf.tensor2d([[5, 7]])
    updateCenter(c, x, 1)
    expect(Array.from(c.dataSync())).toEqual([1, 3])
    updateCenter(c, x, 0)
    expect(Array.from(c.dataSync())).toEqual([5, 7])
    expect(() => updateCenter(c, x, -0.1)).toThrow(/center momentum must be in \[0, 1\], got -0.1/)
    expect(() => updateCenter(c, x, 1.1)).toThrow(/got 1.1/)
    tf.dispose([c, x])
  })

  it('warms τ_t up linearly, both ends included, then holds it (DINOLoss.teacher_temp_schedule)', () => {
    const s = { warmupTemp: 0.04, temp: 0.07, warmupEpochs: 30 }
    expect(teacherTemperature(0, s)).toBeCloseTo(0.04, 12)
    expect(teacherTemperature(29, s)).toBeCloseTo(0.07, 12)
    expect(teacherTemperature(15, s)).toBeCloseTo(0.04 + (0.03 * 15) / 29, 12)
    expect(teacherTemperature(99, s)).toBe(0.07)
    expect(teacherTemperature(0, { ...s, warmupEpochs: 0 })).toBe(0.07)
    // One warm-up epoch: its only value is the warm-up temperature (np.linspace with one point).
    expect(teacherTemperature(0, { ...s, warmupEpochs: 1 })).toBe(0.04)
    expect(teacherTemperature(1, { ...s, warmupEpochs: 1 })).toBe(0.07)
  })
})
