import type { ResNetConfig } from '../resnet/resnetConfig'
import { resnetConfig } from '../resnet/resnetConfig'
import { presetConfig } from '../presetConfig'

/**
 * segmentation_models_pytorch `Unet(encoder_name='resnet…')`: a ResNet encoder without its head,
 * five decoder blocks (nearest 2× upsampling, concat skip, two conv-BN-ReLU) and a 3×3 conv head.
 */
export interface UnetConfig {
  encoder: ResNetConfig
  /** Output channels of the five decoder blocks, deepest first (smp default 256-128-64-32-16). */
  decoderChannels: [number, number, number, number, number]
  classes: number
}

export const unetPresets = {
  /** The DEDL baseline: ResNet-34 encoder (ImageNet-initialisable), 24.4 M parameters at 1 class. */
  unetResnet34: {
    encoder: resnetConfig('resnet34', { numClasses: null }),
    decoderChannels: [256, 128, 64, 32, 16],
    classes: 2,
  },
  /** Small U-Net for tests and the `quick` preset (inputs of 32–64 px, a multiple of 32). */
  unetTiny: {
    encoder: resnetConfig('resnetTiny', { numClasses: null }),
    decoderChannels: [32, 16, 16, 8, 8],
    classes: 2,
  },
} satisfies Record<string, UnetConfig>

export type UnetPreset = keyof typeof unetPresets

export function unetConfig(preset: UnetPreset, overrides: Partial<UnetConfig> = {}): UnetConfig {
  return presetConfig<UnetConfig>(unetPresets, preset, overrides, 'U-Net')
}
