/**
 * 8-bit RGB → the float input the models expect: [0, 1] then torchvision's ImageNet mean and std per
 * channel (the models are ImageNet-initialisable).
 */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406]
export const IMAGENET_STD = [0.229, 0.224, 0.225]

export function normalizeRgb(
  pixels: Uint8Array,
  out = new Float32Array(pixels.length),
  offset = 0,
): Float32Array {
  for (let p = 0; p < pixels.length; p += 3) {
    for (let c = 0; c < 3; c++)
      out[offset + p + c] = (pixels[p + c] / 255 - IMAGENET_MEAN[c]) / IMAGENET_STD[c]
  }
  return out
}
