import type { RawImage } from './rawImage'
import { redChannelNormalization } from './redChannelNormalization'
import { resizeBilinear } from './resizeBilinear'
import { resizeNearest } from './trainingAugmentation'

/**
 * The pixels a model is fed, before its own normalisation: 8-bit RGB at any size → 8-bit RGB at
 * size × size, with the paper's optional red-channel normalisation (Thanh et al. 2019) applied first.
 * Bilinear resizing as PIL does it (see resizeBilinear).
 */
export function modelInputPixels(raw: RawImage, size: number, redChannel: boolean): RawImage {
  const img = redChannel ? redChannelNormalization(raw) : raw
  return img.width !== size || img.height !== size ? resizeBilinear(img, size, size) : img
}

/** Class-index mask at any size → size × size, nearest neighbour so indices never blend. Classes kept. */
export function modelInputMask(mask: RawImage, size: number): Uint8Array {
  return mask.width !== size || mask.height !== size ? resizeNearest(mask, size, size).data : mask.data
}
