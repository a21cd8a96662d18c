import * as tf from '@tensorflow/tfjs'
import { createSeededRandom, type SeededRandom } from '../../engine/seededRandom'
import { Module, noiseSeed } from './module'

const MAX_TFJS_SEED = 2 ** 31 - 1

/** murmur3's 32-bit finaliser: spreads (module seed, step) apart before they seed a stream. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/**
 * A module whose training draws random masks (Dropout, DropPath). Built inside buildSeeded, each mask's seed
 * is a function of (the build's seed, the module's place in the build, the training step, the draw within the
 * step): nothing to checkpoint, so a run resumed at step t draws the masks the uninterrupted run drew at step t,
 * and a rerun with the same seed draws the same ones. The training loop names the step with startNoiseStep;
 * before the first call the masks follow a stream fixed at build time (still a function of the seed).
 * Outside buildSeeded the masks come from tfjs's unseeded generator.
 */
abstract class NoiseModule extends Module {
  private readonly moduleSeed = noiseSeed()
  private masks: SeededRandom | null =
    this.moduleSeed === undefined ? null : createSeededRandom(this.moduleSeed)

  /** Restart this module's masks at training step `step` (see startNoiseStep). */
  atStep(step: number): void {
    if (this.moduleSeed === undefined) return
    if (!Number.isInteger(step) || step < 0)
      throw new Error(`a training step is a whole number ≥ 0, got ${step}`)
    this.masks = createSeededRandom(mix32(this.moduleSeed ^ mix32(step + 0x5bd1e995)))
  }

  /** The seed of the next mask, or undefined (unseeded) for a module built outside buildSeeded. */
  protected nextMaskSeed(): number | undefined {
    return this.masks?.nextInt(MAX_TFJS_SEED)
  }
}

/**
 * Tell every dropout and drop-path module of `net` that training step `step` begins: its masks in this step
 * are then a function of (net seed, module, step) alone, whatever ran before, so resuming mid-training repeats
 * the uninterrupted run exactly (a net that is not a Module has none of ours). Call it once per optimiser step (micro-batches of one step share the step and
 * draw successive masks), with the run's global iteration count.
 */
export function startNoiseStep(net: object, step: number): void {
  if (!(net instanceof Module)) return
  if (net instanceof NoiseModule) net.atStep(step)
  for (const [, child] of net.children()) startNoiseStep(child, step)
}

/** torch.nn.Dropout: active only in training mode, scales kept values by 1/(1-p). */
export class Dropout extends NoiseModule {
  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`dropout probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    return tf.dropout(x, this.p, undefined, this.nextMaskSeed())
  }
}

/**
 * Stochastic depth (timm DropPath): in training, zero a whole sample's residual branch with
 * probability p and scale survivors by 1/(1-p); identity in eval mode.
 */
export class DropPath extends NoiseModule {
  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`drop-path probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    const keep = 1 - this.p
    const seed = this.nextMaskSeed()
    return tf.tidy(() => {
      const maskShape = [x.shape[0], ...Array(x.rank - 1).fill(1)]
      const mask = tf.floor(tf.add(tf.randomUniform(maskShape, 0, 1, 'float32', seed), keep))
      return tf.mul(x, tf.div(mask, keep))
    })
  }
}
