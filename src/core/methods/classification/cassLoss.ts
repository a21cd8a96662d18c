import * as tf from '@tensorflow/tfjs'
import { l2Normalize } from '../../models/nn/euclideanNorm'

/**
 * CASS's similarity loss (Singh et al. 2022, pranavsinghps1/CASS `CASS.ipynb` `loss_fn`): each row of
 * both outputs is L2-normalised and the loss is 2 − 2·cos = ‖a/‖a‖ − b/‖b‖‖², averaged over the batch.
 * Both networks receive its gradient: CASS has no stop-gradient, no predictor and no EMA.
 * `cnn` and `vit` are [B, D] head outputs of the same augmented images.
 */
export function cassLoss(cnn: tf.Tensor2D, vit: tf.Tensor2D): tf.Scalar {
  if (cnn.rank !== 2 || cnn.shape.join() !== vit.shape.join()) {
    throw new Error(`cassLoss: the two outputs must both be [B, D], got [${cnn.shape}] and [${vit.shape}]`)
  }
  return tf.tidy(() => {
    const cosine = tf.sum(tf.mul(l2Normalize(cnn), l2Normalize(vit)), -1)
    return tf.mean(tf.sub(2, tf.mul(cosine, 2))) as tf.Scalar
  })
}
