import * as tf from '@tensorflow/tfjs'
import type { Machine } from '../../engine/machine'
import { planTrainingMemory } from '../../engine/memoryEstimate'
import {
  fromMemoryPlan as fromPlan,
  inEvalMode,
  microBatchesAsSet as asSet,
  type MicroBatchPlan,
} from '../../engine/microBatchPlan'
import type { ResNet } from '../../models/resnet/resnet'
import type { VisionTransformer } from '../../models/vit/visionTransformer'
import type { DinoNet } from './dinoNet'
import type { MultiCropSettings } from './multiCrop'

/**
 * How many micro-batches a DINO or CASS step is cut into (engine/microBatchPlan.ts): one image's activations
 * through every crop the step feeds it, measured; when even one image does not fit, DINO back-propagates one
 * crop at a time and CASS one network at a time.
 */

export interface DinoMicroBatchPlan extends MicroBatchPlan {
  /** Back-propagate one student crop at a time (dinoStep's viewByView). */
  viewByView: boolean
}

/**
 * DINO: the student on one image's crops (2 global + the local ones) and a teacher copy of the weights.
 * When even one image's crops do not fit, each crop is back-propagated alone (dinoStep's viewByView):
 * planned from one global crop, the largest.
 */
export async function planDinoMicroBatches(
  student: DinoNet,
  crops: MultiCropSettings,
  batchSize: number,
  requested: number,
  viewByView = false,
  /** The machine, from the run's host (TrainContext's machine). */
  machine?: Machine,
): Promise<DinoMicroBatchPlan> {
  if (requested > 0) {
    const set = asSet(requested)
    return { ...set, viewByView, summary: set.summary + (viewByView ? ', one crop at a time' : '') }
  }
  const localViews = crops.style === 'official' ? crops.localCrops : 2
  const parameterCount = student.parameterCount()
  const plan = (forward: (x: tf.Tensor4D) => tf.Tensor) =>
    inEvalMode([student], () =>
      planTrainingMemory({
        forward,
        parameterCount,
        frozenParameterCount: parameterCount,
        sampleShape: [crops.globalSize, crops.globalSize, 3],
        batchSize,
        optimizer: 'adamw',
        machine,
      }),
    )
  try {
    const whole = await plan((x) =>
      tf.tidy(() => {
        const global = tf.image.resizeBilinear(x, [crops.globalSize, crops.globalSize])
        const local = tf.image.resizeBilinear(x, [crops.localSize, crops.localSize])
        const globals = crops.style === 'official' ? [tf.concat([global, global])] : []
        // DINO's --local_crops_number 0 (global crops only) is a valid setting: no local group then.
        const locals = localViews > 0 ? [tf.concat(Array.from({ length: localViews }, () => local))] : []
        return student.forward([...globals, ...locals])
      }),
    )
    return { ...fromPlan(whole), viewByView: false }
  } catch (e) {
    if (!/even at batch 1/.test((e as Error).message)) throw e
    const one = await plan((x) => student.forward([x]))
    return { ...fromPlan(one), viewByView: true, summary: `${one.summary}, one crop at a time` }
  }
}

export interface CassMicroBatchPlan extends MicroBatchPlan {
  /** Back-propagate the CNN and the ViT one after the other (cassStep's netByNet). */
  netByNet: boolean
}

/**
 * CASS: the CNN and the ViT on the same image, each with its own Adam. When even one image through both
 * does not fit, the networks are back-propagated one after the other (cassStep's netByNet): planned from
 * the larger of the two.
 */
export async function planCassMicroBatches(
  cnn: ResNet | VisionTransformer,
  vit: ResNet | VisionTransformer,
  imageSize: number,
  batchSize: number,
  requested: number,
  netByNet = false,
  /** The machine, from the run's host (TrainContext's machine). */
  machine?: Machine,
): Promise<CassMicroBatchPlan> {
  if (requested > 0) {
    const set = asSet(requested)
    return { ...set, netByNet, summary: set.summary + (netByNet ? ', one network at a time' : '') }
  }
  const plan = (forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[]) =>
    inEvalMode([cnn, vit], () =>
      planTrainingMemory({
        forward,
        parameterCount: cnn.parameterCount() + vit.parameterCount(),
        sampleShape: [imageSize, imageSize, 3],
        batchSize,
        optimizer: 'adam',
        machine,
      }),
    )
  try {
    return { ...fromPlan(await plan((x) => [cnn.forward(x), vit.forward(x)])), netByNet: false }
  } catch (e) {
    if (!/even at batch 1/.test((e as Error).message)) throw e
    const each = [await plan((x) => cnn.forward(x)), await plan((x) => vit.forward(x))]
    const larger = each[0].microBatches >= each[1].microBatches ? each[0] : each[1]
    return { ...fromPlan(larger), netByNet: true, summary: `${larger.summary}, one network at a time` }
  }
}
