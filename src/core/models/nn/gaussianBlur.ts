import * as tf from '@tensorflow/tfjs'

/**
 * Separable Gaussian blur of images [N, H, W, C], each channel on its own: taps at radius ⌈3σ⌉ (capped by
 * `maxRadius` and by the image's side less one), normalised to sum 1, edges mirrored. The blur of PiCIE's
 * photometric views (picieViews.ts) and of DINO's multi-crop (multiCrop.ts), both PIL's GaussianBlur(σ)
 * in their references.
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number, maxRadius = Infinity): tf.Tensor4D {
  const radius = Math.max(1, Math.min(maxRadius, Math.ceil(3 * sigma), x.shape[1] - 1, x.shape[2] - 1))
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  )
  const total = taps.reduce((a, v) => a + v, 0)
  return tf.tidy(() => {
    const c = x.shape[3]
    const k = tf.tensor1d(taps.map((t) => t / total))
    const kx = tf.tile(tf.reshape(k, [1, -1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D
    const ky = tf.tile(tf.reshape(k, [-1, 1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D
    const padded = tf.mirrorPad(
      x,
      [
        [0, 0],
        [radius, radius],
        [radius, radius],
        [0, 0],
      ],
      'symmetric',
    )
    return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kx, 1, 'valid'), ky, 1, 'valid') as tf.Tensor4D
  })
}
