import type { Hyper, Preset } from '../method'

/**
 * What every segmentation method's data loading reads: the input side (the paper's 224; quick runs 32,
 * the smallest the quick U-Net and Swin-UNet take) and the paper's red-channel normalisation, which it
 * applies to the lesion datasets (Dermofit, ISIC) only.
 */
export function inputDefaults(preset: Preset): Hyper {
  return { imageSize: preset === 'paper' ? 224 : 32, redChannel: false }
}
