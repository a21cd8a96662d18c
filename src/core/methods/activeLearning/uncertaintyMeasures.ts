import * as tf from '@tensorflow/tfjs'

/**
 * How unsure a segmentation model is, pixel by pixel, from its class probabilities [N, H, W, C]: the
 * measures active learning ranks images by (Settles 2009, "Active Learning Literature Survey", §3;
 * MONAI Label's epistemic/entropy strategies). An image's score is the mean over its pixels.
 */

/** Predictive entropy −Σ_c p_c ln p_c per pixel, in nats: 0 when sure, ln C when every class is as likely. */
export function pixelEntropy(probabilities: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    // 0 · ln 0 is 0: clip inside the log only, so a sure pixel scores exactly 0.
    const p = probabilities
    return tf.neg(tf.sum(tf.mul(p, tf.log(tf.clipByValue(p, 1e-12, 1))), -1)) as tf.Tensor3D
  })
}

/**
 * Where two networks disagree: 1 where their most probable classes differ, else 0. Cross teaching trains a
 * CNN and a Swin-UNet to teach each other (S4MI §3.2), so where they still disagree is a signal for free.
 */
export function pixelDisagreement(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor3D {
  if (a.shape.join() !== b.shape.join())
    throw new Error(`The two networks' outputs differ in shape: [${a.shape}] vs [${b.shape}]`)
  return tf.tidy(() => tf.cast(tf.notEqual(tf.argMax(a, -1), tf.argMax(b, -1)), 'float32') as tf.Tensor3D)
}

/**
 * Monte Carlo dropout (Gal & Ghahramani 2016): the variance of each class's probability over stochastic
 * passes, averaged over the classes, per pixel. `samples` are T ≥ 2 passes' probabilities [N, H, W, C].
 */
export function pixelVariance(samples: tf.Tensor4D[]): tf.Tensor3D {
  if (samples.length < 2)
    throw new Error(`Monte Carlo dropout needs at least 2 passes, got ${samples.length}`)
  return tf.tidy(() => {
    const stacked = tf.stack(samples) // [T, N, H, W, C]
    const mean = tf.mean(stacked, 0)
    const variance = tf.mean(tf.square(tf.sub(stacked, mean)), 0)
    return tf.mean(variance, -1) as tf.Tensor3D
  })
}
