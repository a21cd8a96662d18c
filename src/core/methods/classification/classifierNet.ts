import * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../../engine/trainState'
import { buildSeeded, type Module } from '../../models/nn/module'
import { loadStateDict } from '../../models/nn/weights'
import { ResNet } from '../../models/resnet/resnet'
import { resnetConfig } from '../../models/resnet/resnetConfig'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { vitConfig } from '../../models/vit/vitConfig'
import { loadVitWeights } from '../../models/vit/vitWeights'
import {
  loadedImagenetWeights,
  type ImagenetWeights,
  type ImagenetWeightsFound,
  type ImagenetWeightsLookup,
} from '../method'
import {
  BACKBONES,
  CLASSIFIER_BACKBONES,
  type BackboneInfo,
  type ClassifierBackbone,
} from '../../../shared/classifierBackbones'

/**
 * An image classifier: a backbone (the paper's ResNet-50 or ViT-B/16, or a small preset that trains in
 * seconds on a CPU) and a linear head over its pooled embedding. Tensor names are torchvision's
 * (`conv1.weight`, `layer1.0…`, `fc.weight`; `conv_proj…`, `encoder.…`, `heads.head.weight`), so ImageNet
 * files load by name and a pretrained backbone (DINO, CASS) is the same names without the head.
 */

export { BACKBONES, CLASSIFIER_BACKBONES, type BackboneInfo, type ClassifierBackbone }

export function isClassifierBackbone(name: string): name is ClassifierBackbone {
  return (CLASSIFIER_BACKBONES as readonly string[]).includes(name)
}

export function checkBackbone(name: string): ClassifierBackbone {
  if (!isClassifierBackbone(name))
    throw new Error(`Unknown backbone '${name}' (known: ${CLASSIFIER_BACKBONES.join(', ')})`)
  return name
}

export interface ClassifierNet {
  readonly backbone: ClassifierBackbone
  readonly classes: number
  readonly module: Module
  /** Images [N, S, S, 3] (normalised) → class logits [N, classes]. */
  forward(x: tf.Tensor4D): tf.Tensor2D
  /** The pooled embedding the head reads ([N, 2048] for ResNet-50, [N, 768] for ViT-B/16). */
  embed(x: tf.Tensor4D): tf.Tensor2D
  readonly embeddingSize: number
  parameters(): tf.Variable[]
  stateDict(): Map<string, { value: tf.Variable; assign(t: tf.Tensor): void }>
  train(mode?: boolean): unknown
  /** True for the head's tensors, which a backbone checkpoint leaves out. */
  isHead(name: string): boolean
  dispose(): void
}

export interface ClassifierSpec {
  backbone: ClassifierBackbone
  classes: number
  /** Input side; a ViT's position grid is built for it. Default: the backbone's. */
  imageSize?: number
  seed: number
}

export function buildClassifier({ backbone, classes, imageSize, seed }: ClassifierSpec): ClassifierNet {
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`A classifier needs at least one class, got ${classes}`)
  const size = imageSize ?? BACKBONES[backbone].imageSize
  if (backbone === 'resnet50' || backbone === 'resnet_tiny') {
    const net = buildSeeded(
      seed,
      () =>
        new ResNet(
          resnetConfig(backbone === 'resnet50' ? 'resnet50' : 'resnetTiny', { numClasses: classes }),
        ),
    )
    return {
      backbone,
      classes,
      module: net,
      forward: (x) => net.forward(x),
      embed: (x) => net.embed(x),
      embeddingSize: net.embeddingSize,
      parameters: () => net.parameters(),
      stateDict: () => net.stateDict(),
      train: (mode = true) => net.train(mode),
      isHead: (name) => name.startsWith('fc.'),
      dispose: () => net.dispose(),
    }
  }
  const net = buildSeeded(
    seed,
    () =>
      new VisionTransformer(
        vitConfig(backbone === 'vit_b16' ? 'vitB16' : 'vitTiny', { numClasses: classes, imageSize: size }),
      ),
  )
  return {
    backbone,
    classes,
    module: net,
    forward: (x) => net.forward(x),
    embed: (x) => tf.tidy(() => net.forwardParts(x).embedding),
    embeddingSize: net.config.hiddenDim,
    parameters: () => net.parameters(),
    stateDict: () => net.stateDict(),
    train: (mode = true) => net.train(mode),
    isHead: (name) => name.startsWith('heads.'),
    dispose: () => net.dispose(),
  }
}

/** How a classifier's backbone started, recorded with the run and shown in the log and the UI. */
export type BackboneStart =
  { kind: 'imagenet'; from: string } | { kind: 'pretrained'; from: string } | { kind: 'random'; note: string }

/**
 * The ImageNet weights a classifier's backbone starts from, fetched before the net is built: null for
 * the small presets (none exist) and when the run has none (`lookup` absent or nothing imported).
 */
export async function classifierImagenetWeights(
  backbone: ClassifierBackbone,
  lookup: ImagenetWeightsLookup | undefined,
): Promise<ImagenetWeights | null> {
  const arch = BACKBONES[backbone].imagenet
  return arch ? loadedImagenetWeights(lookup, arch) : null
}

/** The ImageNet file a classifier backbone would start from, found and not yet read (none for the small presets). */
export async function classifierImagenetFile(
  backbone: ClassifierBackbone,
  lookup: ImagenetWeightsLookup | undefined,
): Promise<ImagenetWeightsFound | null> {
  const arch = BACKBONES[backbone].imagenet
  return arch && lookup ? lookup(arch) : null
}

/**
 * ImageNet initialisation from the files the user imported (nothing is downloaded), as
 * classifierImagenetWeights fetched them. The head stays fresh: its classes are the project's. Without
 * weights (or for the small presets) the backbone keeps its random start and the returned note says so.
 */
export function initFromImagenet(net: ClassifierNet, imagenet: ImagenetWeights | null): BackboneStart {
  const arch = BACKBONES[net.backbone].imagenet
  if (!arch)
    return {
      kind: 'random',
      note: 'the small presets have no ImageNet weights: starting from random weights',
    }
  if (!imagenet)
    return {
      kind: 'random',
      note: `no ${arch} ImageNet weights imported (s4mi weights import FILE): starting from random weights`,
    }
  const { file, weights } = imagenet
  const ignore = (name: string) => net.isHead(name) || name.endsWith('num_batches_tracked')
  if (net.module instanceof VisionTransformer)
    loadVitWeights(net.module, weights, { strict: false, ignore, resizePosEmbedding: true })
  else loadStateDict(net.module, weights, { strict: false, ignore })
  return { kind: 'imagenet', from: file }
}

/** The backbone's weights and buffers by torchvision name, head left out: what pretraining hands on. */
export function captureBackbone(net: ClassifierNet): TrainState {
  const state: TrainState = {}
  for (const [name, slot] of net.stateDict()) {
    if (net.isHead(name)) continue
    state[name] = { shape: [...slot.value.shape], values: Float32Array.from(slot.value.dataSync()) }
  }
  return state
}

/** Puts a backbone's weights into a classifier (head untouched); every backbone tensor must be there. */
export function loadBackbone(net: ClassifierNet, state: TrainState, source = 'pretrained backbone'): void {
  for (const [name, slot] of net.stateDict()) {
    if (net.isHead(name)) continue
    const saved = state[name]
    if (!saved)
      throw new Error(`The ${source} has no tensor '${name}': it was saved from another architecture`)
    if (saved.shape.join() !== slot.value.shape.join())
      throw new Error(
        `The ${source}'s '${name}' has shape [${saved.shape}], the classifier expects [${slot.value.shape}]`,
      )
    const t = tf.tensor(saved.values, saved.shape, slot.value.dtype)
    slot.assign(t)
    t.dispose()
  }
}
