import * as tf from '@tensorflow/tfjs'
import { stopGradient } from '../../models/nn/stopGradient'

/**
 * DINO's loss (Caron et al. 2021, facebookresearch/dino main_dino.py `DINOLoss`): the cross-entropy
 * H(P_t, P_s) between the teacher's centred and sharpened softmax and the student's softmax, averaged
 * over every (teacher view, student view) pair whose two views differ.
 *
 * Crops are stacked view-major, as DINO's MultiCropWrapper does: rows [v·B, (v+1)·B) of `student`
 * are student crop v; rows [t·B, (t+1)·B) of `teacher` are teacher crop t (the global crops).
 * `studentViews[v]` names the view student crop v was cut from, teacher crop t is view t, and a pair
 * is skipped when the two names are equal:
 *  - official DINO: the student sees both global crops (views 0 and 1) and the local crops (own views
 *    2, 3, …), so studentViews = [0, 1, 2, …, n − 1];
 *  - lucidrains/vit-pytorch `Dino` (what S4MI ran): the student sees only the local crop of each
 *    augmented image, so studentViews = [0, 1] and the pairs are (teacher 0, student 1) and
 *    (teacher 1, student 0).
 */

export interface DinoLossOptions {
  /** τ_s: 0.1 in facebookresearch/dino, 0.9 in lucidrains/vit-pytorch. */
  studentTemp: number
  /** τ_t for this epoch (see teacherTemperature). */
  teacherTemp: number
  /** The view each student crop was cut from; teacher crop t is view t. */
  studentViews: readonly number[]
}

export interface DinoLossTerms {
  /** The mean cross-entropy over the kept pairs (what is minimised). */
  loss: tf.Scalar
  /** Mean entropy of the centred, sharpened teacher distribution, in nats (log K = uniform collapse). */
  teacherEntropy: tf.Scalar
  /**
   * Mean KL(softmax(t/τ_t) ‖ softmax(c/τ_t)) between each raw teacher output and the centre: falls to 0
   * when every image gets the same teacher output (collapse), whatever the sharpening.
   */
  klToCenter: tf.Scalar
  /** Mean teacher output over the batch (all teacher crops): what the centre moves towards. */
  batchCenter: tf.Tensor2D
}

/** `student` [S·B, K], `teacher` [T·B, K], `center` [1, K]. The teacher gets no gradient. */
export function dinoLoss(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  center: tf.Tensor,
  options: DinoLossOptions,
): DinoLossTerms {
  const { studentTemp, teacherTemp, studentViews } = options
  if (!(studentTemp > 0) || !(teacherTemp > 0)) {
    throw new Error(`dinoLoss: temperatures must be > 0, got student ${studentTemp}, teacher ${teacherTemp}`)
  }
  const studentCrops = studentViews.length
  const [rows, k] = student.shape
  if (studentCrops < 1 || rows % studentCrops !== 0) {
    throw new Error(`dinoLoss: ${rows} student rows do not split into ${studentCrops} crops`)
  }
  const batch = rows / studentCrops
  const [teacherRows, teacherK] = teacher.shape
  if (teacherK !== k || teacherRows % batch !== 0) {
    throw new Error(`dinoLoss: teacher output [${teacher.shape}] does not fit student [${student.shape}]`)
  }
  const teacherCrops = teacherRows / batch
  const pairs: [number, number][] = []
  for (let t = 0; t < teacherCrops; t++) {
    studentViews.forEach((view, s) => {
      if (view !== t) pairs.push([t, s])
    })
  }
  if (pairs.length === 0) throw new Error('dinoLoss: every (teacher, student) pair shares a view')
  return tf.tidy(() => {
    const fixedTeacher = stopGradient(teacher)
    const fixedCenter = stopGradient(center)
    const teacherLogits = tf.div(tf.sub(fixedTeacher, fixedCenter), teacherTemp)
    const teacherProbs = tf.softmax(teacherLogits)
    const studentLog = tf.logSoftmax(tf.div(student, studentTemp))
    const chunk = (x: tf.Tensor, i: number) => tf.slice(x, [i * batch, 0], [batch, k])
    const terms = pairs.map(([t, s]) =>
      tf.mean(tf.neg(tf.sum(tf.mul(chunk(teacherProbs, t), chunk(studentLog, s)), -1))),
    )
    const loss = tf.div(tf.addN(terms), pairs.length) as tf.Scalar
    const teacherLog = tf.logSoftmax(teacherLogits)
    const teacherEntropy = tf.mean(tf.neg(tf.sum(tf.mul(teacherProbs, teacherLog), -1))) as tf.Scalar
    const rawLog = tf.logSoftmax(tf.div(fixedTeacher, teacherTemp))
    const centerLog = tf.logSoftmax(tf.div(fixedCenter, teacherTemp))
    const klToCenter = tf.mean(tf.sum(tf.mul(tf.exp(rawLog), tf.sub(rawLog, centerLog)), -1)) as tf.Scalar
    const batchCenter = tf.mean(fixedTeacher, 0, true) as tf.Tensor2D
    return { loss, teacherEntropy, klToCenter, batchCenter }
  })
}

/** DINO's centre update: c ← m·c + (1 − m)·mean(teacher outputs), in place (momentum 0.9 in both codes). */
export function updateCenter(center: tf.Variable, batchCenter: tf.Tensor, momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1)) throw new Error(`center momentum must be in [0, 1], got ${momentum}`)
  tf.tidy(() => center.assign(tf.add(tf.mul(center, momentum), tf.mul(batchCenter, 1 - momentum))))
}

/**
 * τ_t for an epoch: linear from `warmupTemp` to `temp` over `warmupEpochs` epochs (numpy.linspace, both
 * ends included), then `temp` (DINOLoss.teacher_temp_schedule; official 0.04 → 0.04, option 0.04 → 0.07 over 30).
 */
export function teacherTemperature(
  epoch: number,
  settings: { warmupTemp: number; temp: number; warmupEpochs: number },
): number {
  const { warmupTemp, temp, warmupEpochs } = settings
  if (epoch >= warmupEpochs) return temp
  if (warmupEpochs === 1) return warmupTemp
  return warmupTemp + ((temp - warmupTemp) * epoch) / (warmupEpochs - 1)
}
