// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (DINO clips at 3.0).
import * as tf from '@tensorflow/tfjs'

/**
 * Returns the gradients scaled by min(1, maxNorm / (norm + 1e-6)) as new tensors (the inputs are left for the
 * caller to dispose), and the total L2 norm before clipping.
 */
export function clipGradNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { grads: tf.Tensor[]; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`)
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0])
  if (!Number.isFinite(norm))
    throw new Error(`clipGradNorm: gradient norm is ${norm} (NaN or Inf in a gradient)`)
  const scale = Math.min(1, maxNorm / (norm + 1e-6))
  return { grads: grads.map((g) => tf.mul(g, scale)), norm }
}
