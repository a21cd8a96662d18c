import * as tf from '@tensorflow/tfjs'
import { Dropout, DropPath } from '../../models/nn/dropout'
import type { Module } from '../../models/nn/module'
import { pixelVariance } from './uncertaintyMeasures'

/**
 * Monte Carlo dropout (Gal & Ghahramani 2016, "Dropout as a Bayesian Approximation"): keep a trained net's
 * dropout (and stochastic depth, the Swin-UNet's drop path) sampling at prediction time while everything else,
 * BatchNorm above all, stays in evaluation mode, and read the spread of the passes as the model's uncertainty.
 */

/** Passes per image; Gal & Ghahramani's segmentation experiments (Bayesian SegNet) average 50, which is slow on a CPU. */
export const MC_DROPOUT_PASSES = 8

/** The dropout and drop-path modules of a net, whatever their probability. */
export function noiseModules(net: Module): Module[] {
  const found: Module[] = []
  const walk = (m: Module) => {
    if (m instanceof Dropout || m instanceof DropPath) found.push(m)
    for (const [, child] of m.children()) walk(child)
  }
  walk(net)
  return found
}

/**
 * Per-pixel variance [N, H, W] of `passes` stochastic forward passes of `net` (logits [N, H, W, C] → softmax).
 * A net without any dropout is refused: its passes would all be the same and the variance a false zero.
 */
export function mcDropoutVariance(
  net: Module & { forward(x: tf.Tensor): tf.Tensor },
  images: tf.Tensor4D,
  passes = MC_DROPOUT_PASSES,
  netName = 'This network',
): tf.Tensor3D {
  const noise = noiseModules(net)
  if (noise.length === 0)
    throw new Error(
      `${netName} has no dropout: Monte Carlo dropout needs a network with dropout layers (use entropy instead)`,
    )
  const wasTraining = net.training
  net.train(false)
  for (const m of noise) m.train(true)
  try {
    const samples: tf.Tensor4D[] = []
    try {
      for (let t = 0; t < passes; t++)
        samples.push(tf.tidy(() => tf.softmax(net.forward(images)) as tf.Tensor4D))
      return pixelVariance(samples)
    } finally {
      tf.dispose(samples)
    }
  } finally {
    net.train(wasTraining)
  }
}
