import * as tf from '@tensorflow/tfjs'
import {
  accumulateGradients,
  microBatchSlices,
  sliceViewMajor,
  type MicroBatch,
} from '../../engine/gradientAccumulation'
import type { Optimizer } from '../../engine/optim/optimizer'
import { clipEachGradient } from './clipGradients'
import { dinoLoss, updateCenter } from './dinoLoss'
import type { DinoNet } from './dinoNet'
import type { MultiCropViews } from './multiCrop'
import { updateTeacher } from './teacherEma'

export interface DinoParts {
  student: DinoNet
  teacher: DinoNet
  center: tf.Variable
  optimizer: Optimizer
  /** Parameters that get weight decay (DINO: not biases, not 1-D tensors). */
  regularised: Set<tf.Variable>
  /** Parameters left out of this step (the last layer during DINO's first epoch). */
  frozen: Set<tf.Variable>
}

export interface DinoStepSettings {
  studentTemp: number
  teacherTemp: number
  lr: number
  weightDecay: number
  /**
   * SGD's L2 decay, added to the (clipped) gradient before the update as torch.optim.SGD does; otherwise
   * AdamW's decoupled decay, applied to the weights.
   */
  weightDecayCoupled?: boolean
  /** Per-parameter gradient norm cap; 0 for none. */
  clipGrad: number
  momentum: number
  centerMomentum: number
  /**
   * Micro-batches the images are cut into, gradients accumulated before the one update (engine
   * gradientAccumulation.ts); 1 = the whole batch at once. Loss, centre, entropy and KL are the batch's
   * exactly; a ResNet's BatchNorm sees each micro-batch's own statistics.
   */
  microBatches?: number
  /**
   * Also one student crop at a time: with the teacher's outputs fixed, DINO's loss is a sum over student
   * crops, so each crop's share (its pairs over all pairs) can be back-propagated alone — the same
   * gradients, at the memory of one crop per image (BatchNorm then sees one crop's statistics).
   */
  viewByView?: boolean
}

interface Unit extends MicroBatch {
  /** Index of the image slice. */
  slice: number
  /** Student crop back-propagated alone, or -1 for all crops together. */
  view: number
}

/** Images in a multi-crop batch: student rows over the number of student crops. */
function imagesIn(views: MultiCropViews): number {
  return views.student.reduce((n, t) => n + t.shape[0], 0) / views.studentViews.length
}

/**
 * One DINO iteration (main_dino.py train_one_epoch): the teacher on the global crops, the student on all
 * crops, the loss, clipped gradients (last layer left out while frozen), the weight decay (AdamW's
 * decoupled, or SGD's added to the gradient) and step, then the teacher's EMA and the centre's. Returns
 * the logged terms.
 */
export function dinoStep(
  parts: DinoParts,
  views: MultiCropViews,
  s: DinoStepSettings,
): { dinoLoss: number; teacherEntropy: number; klToCenter: number } {
  const { student, teacher, center, optimizer, regularised, frozen } = parts
  const batch = imagesIn(views)
  const slices = microBatchSlices(batch, s.microBatches ?? 1)
  // The teacher has no gradient: its outputs for every micro-batch first, one micro-batch's activations at a time.
  const teacherOuts = slices.map((p) =>
    tf.tidy(() => teacher.forward([sliceViewMajor(views.teacher, batch, p)])),
  )
  const params = student.parameters()
  const teacherCrops = views.teacher.shape[0] / batch
  const pairsOf = (view: number) =>
    Array.from({ length: teacherCrops }, (_, t) => t).filter((t) => t !== view).length
  const totalPairs = views.studentViews.reduce((n, v) => n + pairsOf(v), 0)
  // Where student crop k lives: its size group and its place in that group's view-major stack.
  const place = views.student.flatMap((t, group) =>
    Array.from({ length: t.shape[0] / batch }, (_, index) => ({ group, index })),
  )
  const units: Unit[] = s.viewByView
    ? slices.flatMap((p, slice) =>
        views.studentViews.flatMap((v, view) =>
          pairsOf(v) ? [{ ...p, weight: (p.weight * pairsOf(v)) / totalPairs, slice, view }] : [],
        ),
      )
    : slices.map((p, slice) => ({ ...p, slice, view: -1 }))
  let entropy = 0
  let kl = 0
  let batchCenter: tf.Tensor2D | null = null
  const recorded = new Set<number>()
  let loss: number
  let grads: Record<string, tf.Tensor>
  try {
    ;({ loss, grads } = accumulateGradients(params, units, (part) => {
      const u = part as Unit
      const input =
        u.view < 0
          ? views.student.map((v) => sliceViewMajor(v, batch, u))
          : [tf.slice(views.student[place[u.view].group], place[u.view].index * batch + u.start, u.count)]
      const t = dinoLoss(student.forward(input), teacherOuts[u.slice], center, {
        studentTemp: s.studentTemp,
        teacherTemp: s.teacherTemp,
        studentViews: u.view < 0 ? views.studentViews : [views.studentViews[u.view]],
      })
      if (!recorded.has(u.slice)) {
        // Entropy, KL and the centre are the teacher's, means over images: each slice's, weighted by its share.
        recorded.add(u.slice)
        const w = slices[u.slice].weight
        entropy += t.teacherEntropy.dataSync()[0] * w
        kl += t.klToCenter.dataSync()[0] * w
        const weighted = tf.keep(tf.mul(t.batchCenter, w)) as tf.Tensor2D
        if (batchCenter) {
          const sum = tf.keep(tf.add(batchCenter, weighted)) as tf.Tensor2D
          tf.dispose([batchCenter, weighted])
          batchCenter = sum
        } else batchCenter = weighted
      }
      return t.loss
    }))
  } finally {
    tf.dispose(teacherOuts)
  }
  const stepped = params.filter((p) => !frozen.has(p) && grads[p.name])
  const raw = stepped.map((p) => grads[p.name])
  let clipped = s.clipGrad > 0 ? clipEachGradient(raw, s.clipGrad) : raw
  if (s.weightDecay > 0 && s.weightDecayCoupled) {
    const decayed = stepped.map((p, i) =>
      regularised.has(p) ? tf.tidy(() => tf.add(clipped[i], tf.mul(p, s.weightDecay))) : tf.clone(clipped[i]),
    )
    if (clipped !== raw) tf.dispose(clipped)
    clipped = decayed
  } else if (s.weightDecay > 0) {
    // AdamW's decoupled decay, p ← p·(1 − lr·wd), on the regularised group only (torch applies it
    // before the Adam update, as here).
    for (const p of stepped) {
      if (regularised.has(p)) tf.tidy(() => p.assign(tf.mul(p, 1 - s.lr * s.weightDecay)))
    }
  }
  optimizer.learningRate = s.lr
  optimizer.step(stepped, clipped)
  updateTeacher(teacher, student, s.momentum)
  const center_ = batchCenter as unknown as tf.Tensor2D
  updateCenter(center, center_, s.centerMomentum)
  if (clipped !== raw) tf.dispose(clipped)
  tf.dispose([center_, ...Object.values(grads)])
  if (!Number.isFinite(loss)) throw new Error(`DINO loss is ${loss}: training stopped`)
  return { dinoLoss: loss, teacherEntropy: entropy, klToCenter: kl }
}
