import type { Hyper, Preset } from '../method'

/**
 * What every segmentation method's data loading reads: the input side (the paper's 224; quick runs 32,
 * the smallest the quick U-Net and Swin-UNet take) and the paper's red-channel normalisation.
 *
 * S4MI section 3.3: "for 3-channel datasets (Dermofit, ISIC), we add a pre-processing step that
 * normalizes the red channel of the RGB color model as proposed by Thanh et al." So the paper preset
 * asks for it, and it is applied when the project's images are RGB (see redChannelApplies); quick runs
 * leave pixels as they are. Either way `redChannel=false` switches it off, and the run records whether
 * it was applied.
 */
export function inputDefaults(preset: Preset): Hyper {
  return { imageSize: preset === 'paper' ? 224 : 32, redChannel: preset === 'paper' }
}

/**
 * Whether a run's images get the red-channel normalisation: asked for, and every image has at least the
 * three colour channels (RGB or RGBA, as Dermofit's and ISIC's photographs); never for single-channel
 * images (the paper does not apply it to Dermatomyositis).
 */
export function redChannelApplies(asked: boolean, images: readonly { channels: number }[]): boolean {
  return asked && images.length > 0 && images.every((i) => i.channels >= 3)
}
