import * as tf from '@tensorflow/tfjs'
import { euclideanNorm } from '../../models/nn/euclideanNorm'

/**
 * DINO's clip_gradients (facebookresearch/dino utils.py): each parameter's gradient scaled by
 * clip / (‖g‖ + 1e-6) when that is below 1, each separately, not by the norm of all of them together as
 * torch.nn.utils.clip_grad_norm_ would. New tensors; the caller disposes both lists.
 */
export function clipEachGradient(grads: tf.Tensor[], clip: number): tf.Tensor[] {
  return grads.map((g) =>
    tf.tidy(() => {
      const norm = euclideanNorm(g).dataSync()[0]
      const coef = clip / (norm + 1e-6)
      return coef < 1 ? tf.mul(g, coef) : tf.clone(g)
    }),
  )
}
