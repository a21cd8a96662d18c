import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { startNoiseStep } from '../../models/nn/dropout'
import { createAdam, createAdamW } from '../../engine/optim/adam'
import type { Optimizer } from '../../engine/optim/optimizer'
import { createSgd } from '../../engine/optim/sgd'
import { warmupCosine } from '../../engine/schedule/warmupCosine'
import { createSeededRandom } from '../../engine/seededRandom'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { resolveHyper, throwIfCancelled } from '../method'
import { captureNetState } from '../netState'
import { teacherTemperature } from './dinoLoss'
import { buildDinoNet, type DinoNet } from './dinoNet'
import { DINO_RECIPES, isDinoRecipe } from '../../../shared/dinoRecipes'
import { dinoCropSettings, dinoDefaults } from './dinoPresets'
import { dinoStep } from './dinoStep'
import { multiCrop } from './multiCrop'
import { historyFromState, historyState, type PretrainContext, type PretrainedBackbone } from './pretraining'
import { planDinoMicroBatches } from './sslMemoryPlan'
import { stripPrefix } from '../../engine/statePrefix'
import { initTeacher, teacherMomentumSchedule } from './teacherEma'
import { checkUnlabelledImages, epochBatches, unitBatch } from './unlabelledImages'

/**
 * DINO pretraining (Caron et al. 2021): a student and a teacher with the same backbone and head; the
 * student learns to match the teacher's centred, sharpened output on other views of the same image;
 * the teacher follows the student by EMA only. No labels. The result is a backbone state that
 * fine-tuning starts from (section 3.1: 100 epochs of pretraining, then 50 of fine-tuning). The
 * settings and their two presets: dinoPresets.ts; one iteration: dinoStep.ts.
 */

export interface DinoPretrainContext extends PretrainContext {
  /** Sees the nets once before the first step and after every step (tests: the teacher is the EMA). */
  inspect?(nets: { student: DinoNet; teacher: DinoNet; center: tf.Variable; momentum: number | null }): void
}

/**
 * The recipe's optimiser, its weight decay applied by dinoStep (it changes every step). main_dino.py:
 * AdamW, or SGD with momentum 0.9 for convnets; lucidrains: Adam.
 */
function dinoOptimizer(kind: string, lr: number): Optimizer {
  if (kind === 'adamw') return createAdamW({ learningRate: lr, weightDecay: 0 })
  if (kind === 'sgd') return createSgd({ learningRate: lr, momentum: 0.9 })
  if (kind === 'adam') return createAdam({ learningRate: lr })
  throw new Error(`DINO's optimizer must be 'adamw', 'sgd' or 'adam', got ${JSON.stringify(kind)}`)
}

export async function pretrainDino(ctx: DinoPretrainContext): Promise<PretrainedBackbone> {
  checkUnlabelledImages(ctx.images)
  const dinoPreset = ctx.hyper?.dinoPreset ?? 'official'
  if (!isDinoRecipe(dinoPreset)) {
    const known = DINO_RECIPES.map((r) => `'${r.id}'`).join(' or ')
    throw new Error(`dinoPreset must be ${known}, got ${JSON.stringify(dinoPreset)}`)
  }
  const h = resolveHyper(dinoDefaults(ctx.preset, dinoPreset, ctx.backbone), ctx.hyper, 'DINO')
  const { images } = ctx
  const epochs = Number(h.epochs)
  const batchSize = Math.min(Number(h.batchSize), images.count)
  const random = createSeededRandom(ctx.seed)
  const stepsPerEpoch = Math.floor(images.count / batchSize)
  const isVit = ctx.backbone === 'vit_b16' || ctx.backbone === 'vit_tiny'
  const student = buildDinoNet(ctx.backbone, h, images.size, isVit ? Number(h.dropPathRate) : 0, ctx.seed)
  const teacher = buildDinoNet(ctx.backbone, h, images.size, 0, ctx.seed)
  const center = tf.tidy(() => tf.variable(tf.zeros([1, Number(h.outDim)]), false))
  const crops = dinoCropSettings(
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
  const optimizer = dinoOptimizer(String(h.optimizer), lrBase)
  // main_dino get_params_groups: biases and 1-D tensors are not regularised.
  const regularised = new Set(
    student
      .namedParameters()
      .filter(([name, slot]) => !name.endsWith('.bias') && slot.shape.length > 1)
      .map(([, slot]) => slot.value),
  )
  const history: Record<string, number[]> = {}
  try {
    const memory = await planDinoMicroBatches(
      student,
      crops,
      batchSize,
      Number(h.microBatches),
      false,
      ctx.machine,
    )
    ctx.log?.(`DINO step: ${memory.summary}`)
    initTeacher(teacher, student)
    let startEpoch = 0
    const checkpointed = {
      nets: { student, teacher },
      optimizers: [{ prefix: 'optimizer.', optimizer, variables: () => student.parameters() }],
    }
    const resumed = await ctx.checkpoint?.restore()
    if (resumed) {
      restoreTraining(checkpointed, resumed.state)
      const saved = resumed.state['dino.center']
      if (!saved) throw new Error("Checkpoint has no 'dino.center': it was not saved by DINO pretraining")
      center.assign(tf.tensor(saved.values, saved.shape))
      Object.assign(history, historyFromState(resumed.state))
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
        // The ViT's drop path draws this step's masks from (net seed, module, step): a resumed run repeats.
        startNoiseStep(student, it)
        const losses = {
          ...dinoStep({ student, teacher, center, optimizer, regularised, frozen }, views, {
            studentTemp: Number(h.studentTemp),
            teacherTemp: tau,
            lr,
            weightDecay: wd,
            weightDecayCoupled: h.optimizer === 'sgd',
            clipGrad: Number(h.clipGrad),
            momentum: momentumAt(it),
            centerMomentum: Number(h.centerMomentum),
            microBatches: memory.microBatches,
            viewByView: memory.viewByView,
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
        await yieldToEventLoop()
      }
      for (const [k, v] of Object.entries(sums)) (history[k] ??= []).push(v / batches.length)
      await ctx.checkpoint?.save(epoch + 1, {
        ...trainingState(checkpointed),
        'dino.center': { shape: [...center.shape], values: Float32Array.from(center.dataSync()) },
        ...historyState(history),
      })
    }
    const kept = h.keep === 'student' ? student : teacher
    return {
      method: 'dino',
      backbone: ctx.backbone,
      state: stripPrefix(captureNetState({ backbone: kept.backbone }), 'backbone.'),
      imageSize: images.size,
      hyper: { ...h, batchSize, microBatches: memory.microBatches, viewByView: memory.viewByView },
      history,
    }
  } finally {
    student.dispose()
    teacher.dispose()
    center.dispose()
    optimizer.dispose()
  }
}
