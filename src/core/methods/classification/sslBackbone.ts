import * as tf from '@tensorflow/tfjs'
import { buildSeeded } from '../../models/nn/module'
import { ResNet } from '../../models/resnet/resnet'
import { resnetConfig } from '../../models/resnet/resnetConfig'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { vitConfig } from '../../models/vit/vitConfig'
import type { ClassifierBackbone } from './classifierNet'

/**
 * The backbones self-supervised pretraining trains: the paper's ResNet-50 and ViT-B/16, and small
 * presets of the same families that train in seconds for tests and the quick preset (classifierNet's
 * names). Each keeps its
 * torchvision tensor names, so a pretrained backbone's weights load into the fine-tuned classifier
 * (and ImageNet files load into it) by name.
 */
export type SslBackboneName = ClassifierBackbone

export interface BackboneOptions {
  /** Input side the ViT's position grid is built for (ResNets take any size). */
  imageSize: number
  /** Classes of the head: 1000 for ImageNet-shaped heads (CASS compares their outputs), 0 for none. */
  headClasses: number
  /** Stochastic depth of the ViT blocks (DINO's student: 0.1; teacher: 0). */
  dropPathRate?: number
  seed: number
}

export function buildBackbone(name: SslBackboneName, options: BackboneOptions): ResNet | VisionTransformer {
  const { imageSize, headClasses, dropPathRate = 0, seed } = options
  return buildSeeded(seed, () => {
    switch (name) {
      case 'resnet50':
      case 'resnet_tiny':
        return new ResNet(
          resnetConfig(name === 'resnet50' ? 'resnet50' : 'resnetTiny', {
            numClasses: headClasses > 0 ? headClasses : null,
          }),
        )
      case 'vit_b16':
      case 'vit_tiny':
        return new VisionTransformer(
          vitConfig(name === 'vit_b16' ? 'vitB16' : 'vitTiny', {
            imageSize,
            numClasses: headClasses,
            dropPathRate,
          }),
        )
    }
  })
}

/** Channels of the pooled embedding (ResNet) or class token (ViT). */
export function embeddingSize(net: ResNet | VisionTransformer): number {
  return net instanceof ResNet ? net.embeddingSize : net.config.hiddenDim
}

/** The global embedding before any head: ResNet's pooled layer4, ViT's final class token. */
export function embed(net: ResNet | VisionTransformer, x: tf.Tensor): tf.Tensor2D {
  if (net instanceof ResNet) return net.embed(x)
  return tf.tidy(() => {
    const parts = net.forwardParts(x)
    return parts.embedding
  })
}

/** Copies saved backbone tensors (torchvision names, tfjs layout) into `net`; a head the state lacks is left alone. */
export function loadBackboneState(
  net: ResNet | VisionTransformer,
  state: Record<string, { shape: number[]; values: Float32Array }>,
): void {
  for (const [name, slot] of net.stateDict()) {
    const saved = state[name]
    if (!saved) {
      if (name.startsWith('fc.') || name.startsWith('heads.')) continue
      throw new Error(`Pretrained backbone has no tensor '${name}': it was saved from another architecture`)
    }
    if (saved.shape.join() !== slot.shape.join()) {
      throw new Error(
        `Pretrained tensor '${name}' has shape [${saved.shape}], the backbone expects [${slot.shape}]`,
      )
    }
    const t = tf.tensor(saved.values, saved.shape, slot.dtype)
    slot.assign(t)
    t.dispose()
  }
}
