import * as tf from '@tensorflow/tfjs'
import { createAdam, createAdamW } from '../../engine/optim/adam'
import type { Optimizer } from '../../engine/optim/optimizer'
import { warmupCosine } from '../../engine/schedule/warmupCosine'
import { createSeededRandom } from '../../engine/seededRandom'
import type { TrainState } from '../../engine/trainState'
import { resolveHyper, throwIfCancelled, type Hyper, type Preset, type TrainContext } from '../method'
import { captureNetState, restoreNetState } from '../segmentation/netState'
import { dinoLoss, teacherTemperature, updateCenter } from './dinoLoss'
import { DinoNet } from './dinoNet'
import {
  LUCIDRAINS_MULTI_CROP,
  OFFICIAL_MULTI_CROP,
  multiCrop,
  scaledMultiCrop,
  type MultiCropSettings,
  type MultiCropViews,
} from './multiCrop'
import { buildSeeded } from '../../models/nn/module'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { buildBackbone, embeddingSize, type SslBackboneName } from './sslBackbone'
import { initTeacher, teacherMomentumSchedule, updateTeacher } from './teacherEma'
import { addPrefix, stripPrefix } from './statePrefix'
import { checkUnlabelledImages, epochBatches, unitBatch, type UnlabelledImages } from './unlabelledImages'

/**
 * DINO pretraining (Caron et al. 2021): a student and a teacher with the same backbone and head; the
 * student learns to match the teacher's centred, sharpened output on other views of the same image;
 * the teacher follows the student by EMA only. No labels. The result is a backbone state that
 * fine-tuning starts from (section 3.1: 100 epochs of pretraining, then 50 of fine-tuning).
 *
 * Two presets, because the paper's code and DINO's authors differ (METHODS.md, "DINO"):
 *  - official: facebookresearch/dino main_dino.py defaults;
 *  - s4mi: lucidrains/vit-pytorch `Dino` as S4MI (via CASS's repository) ran it.
 * `preset` quick shrinks sizes and epochs only; the recipe stays the chosen one.
 */

export type DinoPreset = 'official' | 's4mi'

export function dinoDefaults(preset: Preset, dinoPreset: DinoPreset = 'official'): Hyper {
  const quick = preset === 'quick'
  const common = {
    dinoPreset,
    // Paper section 3.1: 100 epochs of pretraining (also DINO's default).
    epochs: quick ? 4 : 100,
    // Quick-preset head: small enough to train in seconds; the paper preset keeps each reference's.
    headHidden: quick ? 64 : 2048,
    headBottleneck: quick ? 32 : 256,
    headLayers: 3,
    centerMomentum: 0.9,
    teacherTemp: 0.04,
  }
  if (dinoPreset === 'official') {
    return {
      ...common,
      // main_dino.py: --batch_size_per_gpu 64, --lr 5e-4 scaled by batch/256, --min_lr 1e-6,
      // --warmup_epochs 10, AdamW, --weight_decay 0.04 → --weight_decay_end 0.4, --clip_grad 3.0,
      // --freeze_last_layer 1, --momentum_teacher 0.996 (→ 1), --out_dim 65536, --norm_last_layer True,
      // --warmup_teacher_temp 0.04, --teacher_temp 0.04, --warmup_teacher_temp_epochs 0, student 0.1,
      // --local_crops_number 8, global scale 0.4–1, local 0.05–0.4, --drop_path_rate 0.1.
      batchSize: quick ? 8 : 64,
      optimizer: 'adamw',
      // Quick preset: DINO's 5e-4 × batch/256 is ~2e-5 at batch 8 and learns nothing in the few dozen
      // steps of a quick run, and momentum 0.996 assumes ~10⁵ iterations; 1e-3 unscaled and 0.99 learn
      // (the k-NN probe, sslProbe.test.ts). The paper preset keeps DINO's values.
      lr: quick ? 1e-3 : 5e-4,
      scaleLrByBatch: !quick,
      minLr: 1e-6,
      warmupEpochs: quick ? 1 : 10,
      weightDecay: 0.04,
      weightDecayEnd: 0.4,
      clipGrad: 3,
      freezeLastLayer: 1,
      momentumTeacher: quick ? 0.99 : 0.996,
      momentumTeacherEnd: 1,
      outDim: quick ? 256 : 65_536,
      normLastLayer: true,
      warmupTeacherTemp: 0.04,
      warmupTeacherTempEpochs: 0,
      studentTemp: 0.1,
      localCrops: quick ? 2 : 8,
      globalScaleMin: 0.4,
      localScaleMax: 0.4,
      dropPathRate: 0.1,
      // eval_linear.py / eval_knn.py read the teacher's backbone.
      keep: 'teacher',
    }
  }
  return {
    ...common,
    // lucidrains/vit-pytorch Dino defaults: student 0.9, teacher 0.04, both EMAs 0.9 (constant),
    // 2 global (0.5–1) + 2 local (0.05–0.4) crops at the full size, num_classes_K 65336, an MLP of
    // hidden 256. Its README trains with Adam 3e-4 and no schedule; batch 16 is CASS's. The trained
    // `net` it returns is the student's.
    batchSize: quick ? 8 : 16,
    optimizer: 'adam',
    lr: 3e-4,
    scaleLrByBatch: false,
    minLr: 3e-4,
    warmupEpochs: 0,
    weightDecay: 0,
    weightDecayEnd: 0,
    clipGrad: 0,
    freezeLastLayer: 0,
    momentumTeacher: 0.9,
    momentumTeacherEnd: 0.9,
    outDim: quick ? 256 : 65_336,
    headHidden: quick ? 64 : 256,
    headBottleneck: quick ? 64 : 256,
    normLastLayer: false,
    warmupTeacherTemp: 0.04,
    warmupTeacherTempEpochs: 0,
    studentTemp: 0.9,
    localCrops: 2,
    globalScaleMin: 0.5,
    localScaleMax: 0.4,
    dropPathRate: 0,
    keep: 'student',
  }
}

export interface PretrainContext extends Omit<TrainContext<UnlabelledImages>, 'data'> {
  images: UnlabelledImages
  backbone: SslBackboneName
}

/** What pretraining hands to fine-tuning. */
export interface PretrainedBackbone {
  method: 'dino' | 'cass'
  backbone: SslBackboneName
  /** The backbone's weights and buffers by torchvision name (no head), tfjs layout. */
  state: TrainState
  imageSize: number
  hyper: Hyper
  /** Per-epoch means of every logged term (e.g. dinoLoss, teacherEntropy, klToCenter). */
  history: Record<string, number[]>
}

/** DINO clip_gradients: each parameter's gradient scaled down to norm ≤ clip, separately. */
function clipEachGradient(grads: tf.Tensor[], clip: number): tf.Tensor[] {
  return grads.map((g) =>
    tf.tidy(() => {
      const norm = tf.norm(g).dataSync()[0]
      const coef = clip / (norm + 1e-6)
      return coef < 1 ? tf.mul(g, coef) : tf.clone(g)
    }),
  )
}

function cropSettings(h: Hyper, imageSize: number, patchMultiple: number): MultiCropSettings {
  const base = h.dinoPreset === 'official' ? OFFICIAL_MULTI_CROP : LUCIDRAINS_MULTI_CROP
  const scaled = scaledMultiCrop(base, imageSize, patchMultiple)
  return {
    ...scaled,
    localCrops: Number(h.localCrops),
    globalScale: [Number(h.globalScaleMin), 1],
    localScale: [0.05, Number(h.localScaleMax)],
  }
}

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
  /** Per-parameter gradient norm cap; 0 for none. */
  clipGrad: number
  momentum: number
  centerMomentum: number
}

/**
 * One DINO iteration (main_dino.py train_one_epoch): the teacher on the global crops, the student on all
 * crops, the loss, clipped gradients (last layer left out while frozen), AdamW's decoupled decay and
 * step, then the teacher's EMA and the centre's. Returns the logged terms.
 */
export function dinoStep(
  parts: DinoParts,
  views: MultiCropViews,
  s: DinoStepSettings,
): { dinoLoss: number; teacherEntropy: number; klToCenter: number } {
  const { student, teacher, center, optimizer, regularised, frozen } = parts
  const teacherOut = teacher.forward([views.teacher])
  const params = student.parameters()
  let terms: { entropy: tf.Scalar; kl: tf.Scalar; batchCenter: tf.Tensor2D } | null = null
  const { value, grads } = tf.variableGrads(() => {
    const t = dinoLoss(student.forward(views.student), teacherOut, center, {
      studentTemp: s.studentTemp,
      teacherTemp: s.teacherTemp,
      studentViews: views.studentViews,
    })
    terms = {
      entropy: tf.keep(t.teacherEntropy),
      kl: tf.keep(t.klToCenter),
      batchCenter: tf.keep(t.batchCenter),
    }
    return t.loss
  }, params)
  const stepped = params.filter((p) => !frozen.has(p))
  const raw = stepped.map((p) => grads[p.name])
  const clipped = s.clipGrad > 0 ? clipEachGradient(raw, s.clipGrad) : raw
  if (s.weightDecay > 0) {
    // AdamW's decoupled decay, p ← p·(1 − lr·wd), on the regularised group only (torch applies it
    // before the Adam update, as here).
    for (const p of stepped) {
      if (regularised.has(p)) tf.tidy(() => p.assign(tf.mul(p, 1 - s.lr * s.weightDecay)))
    }
  }
  optimizer.learningRate = s.lr
  optimizer.step(stepped, clipped)
  updateTeacher(teacher, student, s.momentum)
  const got = terms as unknown as { entropy: tf.Scalar; kl: tf.Scalar; batchCenter: tf.Tensor2D }
  updateCenter(center, got.batchCenter, s.centerMomentum)
  const out = {
    dinoLoss: value.dataSync()[0],
    teacherEntropy: got.entropy.dataSync()[0],
    klToCenter: got.kl.dataSync()[0],
  }
  if (clipped !== raw) tf.dispose(clipped)
  tf.dispose([value, teacherOut, got.entropy, got.kl, got.batchCenter, ...Object.values(grads)])
  if (!Number.isFinite(out.dinoLoss)) throw new Error(`DINO loss is ${out.dinoLoss}: training stopped`)
  return out
}

export interface DinoPretrainContext extends PretrainContext {
  /** Sees the nets once before the first step and after every step (tests: the teacher is the EMA). */
  inspect?(nets: { student: DinoNet; teacher: DinoNet; center: tf.Variable; momentum: number | null }): void
}

export async function pretrainDino(ctx: DinoPretrainContext): Promise<PretrainedBackbone> {
  checkUnlabelledImages(ctx.images)
  const dinoPreset = (ctx.hyper?.dinoPreset ?? 'official') as DinoPreset
  if (dinoPreset !== 'official' && dinoPreset !== 's4mi') {
    throw new Error(`dinoPreset must be 'official' or 's4mi', got ${JSON.stringify(dinoPreset)}`)
  }
  const h = resolveHyper(dinoDefaults(ctx.preset, dinoPreset), ctx.hyper, 'DINO')
  const { images } = ctx
  const epochs = Number(h.epochs)
  const batchSize = Math.min(Number(h.batchSize), images.count)
  const random = createSeededRandom(ctx.seed)
  const stepsPerEpoch = Math.floor(images.count / batchSize)
  const isVit = ctx.backbone === 'vit_b16' || ctx.backbone === 'vit_tiny'
  const build = (dropPathRate: number, seed: number) => {
    const backbone = buildBackbone(ctx.backbone, {
      imageSize: images.size,
      headClasses: 0,
      dropPathRate,
      seed,
    })
    // The head's initial weights follow the run's seed too (the backbone's already do).
    return buildSeeded(
      seed + 7919,
      () =>
        new DinoNet(backbone, {
          inDim: embeddingSize(backbone),
          outDim: Number(h.outDim),
          hiddenDim: Number(h.headHidden),
          bottleneckDim: Number(h.headBottleneck),
          layers: Number(h.headLayers),
          normLastLayer: Boolean(h.normLastLayer),
        }),
    )
  }
  const student = build(isVit ? Number(h.dropPathRate) : 0, ctx.seed)
  const teacher = build(0, ctx.seed)
  const center = tf.tidy(() => tf.variable(tf.zeros([1, Number(h.outDim)]), false))
  const crops = cropSettings(
    h,
    images.size,
    student.backbone instanceof VisionTransformer ? student.backbone.config.patchSize : 1,
  )
  const lrBase = Number(h.lr) * (h.scaleLrByBatch ? batchSize / 256 : 1)
  const lrAt = warmupCosine({
    baseLr: lrBase,
    finalLr: Math.min(Number(h.minLr), lrBase),
    epochs,
    iterationsPerEpoch: stepsPerEpoch,
    warmupEpochs: Math.min(Number(h.warmupEpochs), epochs - 1),
  })
  const wdAt = warmupCosine({
    baseLr: Number(h.weightDecay),
    finalLr: Number(h.weightDecayEnd),
    epochs,
    iterationsPerEpoch: stepsPerEpoch,
  })
  const momentumAt = teacherMomentumSchedule(
    Number(h.momentumTeacher),
    Number(h.momentumTeacherEnd),
    epochs,
    stepsPerEpoch,
  )
  const optimizer: Optimizer =
    h.optimizer === 'adamw'
      ? createAdamW({ learningRate: lrBase, weightDecay: 0 })
      : createAdam({ learningRate: lrBase })
  // main_dino get_params_groups: biases and 1-D tensors are not regularised.
  const regularised = new Set(
    student
      .namedParameters()
      .filter(([name, slot]) => !name.endsWith('.bias') && slot.shape.length > 1)
      .map(([, slot]) => slot.value),
  )
  const history: Record<string, number[]> = {}
  try {
    initTeacher(teacher, student)
    let startEpoch = 0
    const resumed = await ctx.checkpoint?.restore()
    if (resumed) {
      restoreNetState({ student, teacher }, resumed.state)
      const saved = resumed.state['dino.center']
      if (!saved) throw new Error("Checkpoint has no 'dino.center': it was not saved by DINO pretraining")
      center.assign(tf.tensor(saved.values, saved.shape))
      optimizer.importState(student.parameters(), stripPrefix(resumed.state, 'optimizer.'))
      for (const [key, value] of Object.entries(resumed.state)) {
        if (key.startsWith('history.')) history[key.slice(8)] = Array.from(value.values)
      }
      startEpoch = resumed.epoch
      // Replay what the finished epochs drew, so the random stream continues as in an uninterrupted run.
      for (let e = 0; e < startEpoch; e++) {
        epochBatches(images.count, batchSize, () => random.next())
        random.fork()
      }
    }
    ctx.inspect?.({ student, teacher, center, momentum: null })
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const batches = epochBatches(images.count, batchSize, () => random.next())
      const epochRandom = random.fork()
      const sums: Record<string, number> = {}
      const tau = teacherTemperature(epoch, {
        warmupTemp: Number(h.warmupTeacherTemp),
        temp: Number(h.teacherTemp),
        warmupEpochs: Number(h.warmupTeacherTempEpochs),
      })
      const frozen = new Set(epoch < Number(h.freezeLastLayer) ? student.head.lastLayerParameters() : [])
      for (const [step, batch] of batches.entries()) {
        throwIfCancelled(ctx.signal)
        const started = Date.now()
        const it = epoch * stepsPerEpoch + step
        const lr = lrAt(it)
        const wd = wdAt(it)
        const x = await unitBatch(images, batch)
        const views = multiCrop(x, crops, epochRandom)
        x.dispose()
        const losses = {
          ...dinoStep({ student, teacher, center, optimizer, regularised, frozen }, views, {
            studentTemp: Number(h.studentTemp),
            teacherTemp: tau,
            lr,
            weightDecay: wd,
            clipGrad: Number(h.clipGrad),
            momentum: momentumAt(it),
            centerMomentum: Number(h.centerMomentum),
          }),
          teacherTemp: tau,
          teacherMomentum: momentumAt(it),
        }
        ctx.inspect?.({ student, teacher, center, momentum: momentumAt(it) })
        tf.dispose([views.teacher, ...views.student])
        for (const [k, v] of Object.entries(losses)) sums[k] = (sums[k] ?? 0) + v
        ctx.onProgress?.({
          epoch: epoch + 1,
          epochs,
          step: step + 1,
          steps: batches.length,
          losses,
          lr,
          imagesPerSecond: batch.length / Math.max(1e-3, (Date.now() - started) / 1000),
        })
        await new Promise((r) => setImmediate(r))
      }
      for (const [k, v] of Object.entries(sums)) (history[k] ??= []).push(v / batches.length)
      await ctx.checkpoint?.save(epoch + 1, {
        ...captureNetState({ student, teacher }),
        'dino.center': { shape: [...center.shape], values: Float32Array.from(center.dataSync()) },
        ...addPrefix(optimizer.exportState(student.parameters()), 'optimizer.'),
        ...Object.fromEntries(
          Object.entries(history).map(([k, v]) => [
            `history.${k}`,
            { shape: [v.length], values: Float32Array.from(v) },
          ]),
        ),
      })
    }
    const kept = h.keep === 'student' ? student : teacher
    return {
      method: 'dino',
      backbone: ctx.backbone,
      state: stripPrefix(captureNetState({ backbone: kept.backbone }), 'backbone.'),
      imageSize: images.size,
      hyper: { ...h, batchSize },
      history,
    }
  } finally {
    student.dispose()
    teacher.dispose()
    center.dispose()
    optimizer.dispose()
  }
}
