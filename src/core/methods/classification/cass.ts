import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { accumulateGradients, microBatchSlices, type MicroBatch } from '../../engine/gradientAccumulation'
import { createAdam } from '../../engine/optim/adam'
import type { Optimizer } from '../../engine/optim/optimizer'
import { cosineAnnealing } from '../../engine/schedule/cosineAnnealing'
import { createSeededRandom } from '../../engine/seededRandom'
import type { TrainState } from '../../engine/trainState'
import { truncNormal } from '../../models/nn/init'
import { ResNet } from '../../models/resnet/resnet'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { resolveHyper, throwIfCancelled, type Hyper, type Preset } from '../method'
import { captureNetState } from '../netState'
import { cassAugment } from './cassAugment'
import { cassLoss } from './cassLoss'
import { historyState, type PretrainContext, type PretrainedBackbone } from './pretraining'
import { planCassMicroBatches } from './sslMemoryPlan'
import { buildBackbone, type SslBackboneName } from './sslBackbone'
import { checkUnlabelledImages, epochBatches, unitBatch } from './unlabelledImages'

/**
 * CASS pretraining (Singh et al. 2022; pranavsinghps1/CASS `CASS.ipynb`, `ssl_train_model`): a CNN and
 * a Transformer see the same augmented images and are pulled together by 2 − 2·cos between their
 * normalised head outputs. No projector, no predictor, no EMA: the loss's gradient reaches both, and
 * each network steps its own Adam. The notebook never zeroes gradients and steps its cosine schedule
 * every batch; here gradients are fresh each step and the schedule moves once per epoch.
 */

export function cassDefaults(preset: Preset): Hyper {
  const quick = preset === 'quick'
  return {
    // Paper section 3.1: 100 epochs; CASS.ipynb: batch 16, Adam 1e-3 for each net, CosineAnnealingLR
    // T_max 16 (cfg.t_max), eta_min 1e-6.
    epochs: quick ? 4 : 100,
    batchSize: quick ? 8 : 16,
    lr: 1e-3,
    minLr: 1e-6,
    tMax: 16,
    // CASS compares the two ImageNet heads' 1000 outputs; the quick preset a smaller head.
    outDim: quick ? 128 : 1000,
    // Gradient accumulation (not in CASS, which ran on a GPU): 0 = as many micro-batches as the
    // backend's memory needs (sslMemoryPlan.ts), n > 0 = n.
    microBatches: 0,
  }
}

export interface CassPretrainContext extends Omit<PretrainContext, 'backbone'> {
  cnn: SslBackboneName
  vit: SslBackboneName
  /** Loads ImageNet weights into a freshly built net when the user has them (the paper's start); returns whether it did. */
  initialise?(role: 'cnn' | 'vit', net: ResNet | VisionTransformer): boolean
}

export interface CassPretrained {
  cnn: PretrainedBackbone
  vit: PretrainedBackbone
}

export interface CassParts {
  cnn: ResNet | VisionTransformer
  vit: ResNet | VisionTransformer
  cnnOptimizer: Optimizer
  vitOptimizer: Optimizer
}

/**
 * One CASS iteration: both nets on the same batch, 2 − 2·cos, fresh gradients, one Adam step each. With
 * `microBatches` > 1 the batch's gradients are accumulated over that many slices (the loss is a mean over
 * images, so the sum is the batch's; the ResNet's BatchNorm sees each slice's statistics).
 *
 * `netByNet` back-propagates the two networks one after the other, for when both at once do not fit
 * (ResNet-50 + ViT-B/16 in the wasm heap): the CNN's gradient depends on the ViT only through the ViT's
 * output, a constant for it, and the other way round. So: the ViT's output with no gradient, the CNN's
 * pass against it (keeping the CNN's output), then the ViT's pass against that. The same gradients, at
 * the larger network's activations instead of both networks'; the ViT runs forward twice (it has no
 * BatchNorm, and CASS builds it without dropout, so both runs agree).
 */
export function cassStep(parts: CassParts, x: tf.Tensor4D, microBatches = 1, netByNet = false): number {
  const { cnn, vit, cnnOptimizer, vitOptimizer } = parts
  const cnnParams = cnn.parameters()
  const vitParams = vit.parameters()
  const slices = microBatchSlices(x.shape[0], microBatches)
  const slice = (p: MicroBatch) => tf.slice(x, p.start, p.count)
  let loss: number
  let grads: Record<string, tf.Tensor>
  if (!netByNet) {
    ;({ loss, grads } = accumulateGradients([...cnnParams, ...vitParams], slices, (p) =>
      tf.tidy(() => {
        const xs = slice(p)
        return cassLoss(cnn.forward(xs), vit.forward(xs))
      }),
    ))
  } else {
    const vitOuts = slices.map((p) => tf.tidy(() => vit.forward(slice(p))))
    const cnnOuts: tf.Tensor2D[] = []
    try {
      const fromCnn = accumulateGradients(cnnParams, slices, (p) => {
        const out = cnn.forward(slice(p)) as tf.Tensor2D
        cnnOuts.push(tf.keep(out.clone()))
        return cassLoss(out, vitOuts[slices.indexOf(p)])
      })
      const fromVit = accumulateGradients(vitParams, slices, (p) =>
        cassLoss(cnnOuts[slices.indexOf(p)], vit.forward(slice(p)) as tf.Tensor2D),
      )
      loss = fromCnn.loss
      grads = { ...fromCnn.grads, ...fromVit.grads }
    } finally {
      tf.dispose([...vitOuts, ...cnnOuts])
    }
  }
  cnnOptimizer.step(
    cnnParams,
    cnnParams.map((p) => grads[p.name]),
  )
  vitOptimizer.step(
    vitParams,
    vitParams.map((p) => grads[p.name]),
  )
  tf.dispose(Object.values(grads))
  return loss
}

export async function pretrainCass(ctx: CassPretrainContext): Promise<CassPretrained> {
  checkUnlabelledImages(ctx.images)
  const h = resolveHyper(cassDefaults(ctx.preset), ctx.hyper, 'CASS')
  const { images } = ctx
  const epochs = Number(h.epochs)
  const batchSize = Math.min(Number(h.batchSize), images.count)
  const outDim = Number(h.outDim)
  const random = createSeededRandom(ctx.seed)
  const build = (name: SslBackboneName, seed: number) => {
    const net = buildBackbone(name, { imageSize: images.size, headClasses: outDim, seed })
    if (net instanceof VisionTransformer && net.heads) {
      // torchvision zero-initialises the ViT head, which would make its normalised output 0/0;
      // timm (CASS's source) draws it trunc-normal σ 0.02.
      const w = net.heads.head.weight
      const fresh = truncNormal(0.02)(w.shape, seed)
      w.assign(fresh)
      fresh.dispose()
    }
    return net
  }
  const cnn = build(ctx.cnn, ctx.seed)
  const vit = build(ctx.vit, ctx.seed + 1)
  const initialised = {
    cnn: ctx.initialise?.('cnn', cnn) ?? false,
    vit: ctx.initialise?.('vit', vit) ?? false,
  }
  const schedule = cosineAnnealing({ baseLr: Number(h.lr), tMax: Number(h.tMax), etaMin: Number(h.minLr) })
  const cnnOptimizer = createAdam({ learningRate: Number(h.lr) })
  const vitOptimizer = createAdam({ learningRate: Number(h.lr) })
  const history: Record<string, number[]> = { cassLoss: [], lr: [] }
  try {
    const memory = await planCassMicroBatches(
      cnn,
      vit,
      images.size,
      batchSize,
      Number(h.microBatches),
      false,
      ctx.machine,
    )
    ctx.log?.(`CASS step: ${memory.summary}`)
    let startEpoch = 0
    const checkpointed = {
      nets: { cnn, vit },
      optimizers: [
        { prefix: 'cnnOptimizer.', optimizer: cnnOptimizer, variables: () => cnn.parameters() },
        { prefix: 'vitOptimizer.', optimizer: vitOptimizer, variables: () => vit.parameters() },
      ],
    }
    const resumed = await ctx.checkpoint?.restore()
    if (resumed) {
      restoreTraining(checkpointed, resumed.state)
      for (const key of Object.keys(history))
        history[key] = Array.from(resumed.state[`history.${key}`]?.values ?? [])
      startEpoch = resumed.epoch
      for (let e = 0; e < startEpoch; e++) {
        epochBatches(images.count, batchSize, () => random.next())
        random.fork()
      }
    }
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const batches = epochBatches(images.count, batchSize, () => random.next())
      const epochRandom = random.fork()
      const lr = schedule(epoch)
      cnnOptimizer.learningRate = lr
      vitOptimizer.learningRate = lr
      let sum = 0
      for (const [step, batch] of batches.entries()) {
        throwIfCancelled(ctx.signal)
        const started = Date.now()
        const raw = await unitBatch(images, batch)
        const x = cassAugment(raw, epochRandom)
        raw.dispose()
        const loss = cassStep(
          { cnn, vit, cnnOptimizer, vitOptimizer },
          x,
          memory.microBatches,
          memory.netByNet,
        )
        x.dispose()
        if (!Number.isFinite(loss)) throw new Error(`CASS loss is ${loss}: training stopped`)
        sum += loss
        ctx.onProgress?.({
          epoch: epoch + 1,
          epochs,
          step: step + 1,
          steps: batches.length,
          losses: { cassLoss: loss },
          lr,
          imagesPerSecond: batch.length / Math.max(1e-3, (Date.now() - started) / 1000),
        })
        await yieldToEventLoop()
      }
      history.cassLoss.push(sum / batches.length)
      history.lr.push(lr)
      await ctx.checkpoint?.save(epoch + 1, {
        ...trainingState(checkpointed),
        ...historyState(history),
      })
    }
    const result = (role: 'cnn' | 'vit', net: ResNet | VisionTransformer, name: SslBackboneName) => ({
      method: 'cass' as const,
      backbone: name,
      // Fine-tuning replaces the heads (ResNet fc 2048 → C, ViT head 768 → C): keep the backbones only.
      state: Object.fromEntries(
        Object.entries(captureNetState({ net })).flatMap(([k, v]) => {
          const name = k.slice('net.'.length)
          return name.startsWith('fc.') || name.startsWith('heads.') ? [] : [[name, v]]
        }),
      ) as TrainState,
      imageSize: images.size,
      hyper: {
        ...h,
        batchSize,
        microBatches: memory.microBatches,
        netByNet: memory.netByNet,
        imagenetInit: initialised[role],
      },
      history,
    })
    return { cnn: result('cnn', cnn, ctx.cnn), vit: result('vit', vit, ctx.vit) }
  } finally {
    cnn.dispose()
    vit.dispose()
    cnnOptimizer.dispose()
    vitOptimizer.dispose()
  }
}
