/**
 * 8-bit RGB → the float input the models expect: [0, 1] then torchvision's ImageNet mean and std per
 * channel (the models are ImageNet-initialisable).
 */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406]
export const IMAGENET_STD = [0.229, 0.224, 0.225]

/** The 256 normalised values of each channel: a lookup per sample instead of arithmetic on each. */
const TABLE = Float32Array.from({ length: 3 * 256 }, (_, i) => {
  const c = Math.floor(i / 256)
  return ((i % 256) / 255 - IMAGENET_MEAN[c]) / IMAGENET_STD[c]
})

export function normalizeRgb(
  pixels: Uint8Array,
  out = new Float32Array(pixels.length),
  offset = 0,
): Float32Array {
  for (let p = 0; p < pixels.length; p += 3) {
    out[offset + p] = TABLE[pixels[p]]
    out[offset + p + 1] = TABLE[256 + pixels[p + 1]]
    out[offset + p + 2] = TABLE[512 + pixels[p + 2]]
  }
  return out
}
