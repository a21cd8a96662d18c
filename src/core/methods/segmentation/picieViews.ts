import * as tf from '@tensorflow/tfjs'
import { gaussianBlur } from '../../models/nn/gaussianBlur'
import { resizeBilinear } from '../../models/nn/resize'
import { colourJitter, type ColourJitter } from './colourJitter'
import { IMAGENET_MEAN, IMAGENET_STD } from './normalizeRgb'

/**
 * PiCIE's two kinds of transform, drawn once per image per epoch (PiCIE's dataset.reshuffle()) so the
 * labels computed for a view match the view seen in training (janghyuncho/PiCIE and the S4MI fork
 * Shra1-25/PiCIE, data/*_train_dataset.py init_transforms and data/custom_transforms.py).
 * - Photometric (invariance), a different draw for each view: brightness, contrast and saturation
 *   factors in 1 ± 0.3 and a hue shift in ±0.1, each applied with probability 0.8 on its own (PiCIE's
 *   RandomColor* each draw their own coin), then grayscale with probability 0.2 and Gaussian blur
 *   σ 0.1–2 with probability 0.5 (PIL's radius = σ). They act on pixel values in [0, 1] as torchvision
 *   does (colourJitter.ts); ImageNet normalisation follows. Two bugs of the reference are not copied:
 *   its training loop gives view 1 no photometric transform, and its grayscale flag never fires
 *   ('grey' vs 'gray').
 * - Geometric (equivariance), shared by both views: a random crop whose side is 0.5–1 of the image's
 *   side (RandomResizedCrop: res2 = int(rscale·res1), rscale ~ U(min_scale, 1)), placed uniformly, and a
 *   horizontal flip with probability 0.5. View 1 applies it to the image before the net, view 2 to the
 *   feature map after it. Crops are aligned to the feature grid so both land on exactly the same region.
 */

export interface Photometric extends ColourJitter {
  /** Gaussian blur σ in pixels; 0 = no blur. */
  blurSigma: number
}

export interface Geometric {
  /** Crop in feature-grid cells. */
  top: number
  left: number
  side: number
  flip: boolean
}

export interface PicieViewParams {
  photo1: Photometric
  photo2: Photometric
  geometric: Geometric
}

export interface PicieViewOptions {
  /** Brightness, contrast and saturation factors are drawn in 1 ± jitter. */
  jitter: number
  /** Hue shift drawn in ± hue (a fraction of the circle). */
  hue: number
  /** Each colour adjustment's own probability. */
  jitterProbability: number
  grayscaleProbability: number
  blurProbability: number
  minScale: number
  flipProbability: number
}

/** PiCIE's init_transforms; jitter, hue and minScale are a run's hyperparameters (picieDefaults.ts). */
export const PICIE_VIEW_DEFAULTS: PicieViewOptions = {
  jitter: 0.3,
  hue: 0.1,
  jitterProbability: 0.8,
  grayscaleProbability: 0.2,
  blurProbability: 0.5,
  minScale: 0.5,
  flipProbability: 0.5,
}

function drawPhotometric(o: PicieViewOptions, random: () => number): Photometric {
  const maybe = (draw: () => number, none: number) => (random() < o.jitterProbability ? draw() : none)
  const factor = () =>
    maybe(() => Math.max(0, 1 - o.jitter) + (1 + o.jitter - Math.max(0, 1 - o.jitter)) * random(), 1)
  return {
    brightness: factor(),
    contrast: factor(),
    saturation: factor(),
    hue: maybe(() => -o.hue + 2 * o.hue * random(), 0),
    grayscale: random() < o.grayscaleProbability,
    blurSigma: random() < o.blurProbability ? 0.1 + 1.9 * random() : 0,
  }
}

export function drawViewParams(
  featureSide: number,
  o: PicieViewOptions,
  random: () => number,
): PicieViewParams {
  const scale = o.minScale + (1 - o.minScale) * random()
  const side = Math.max(1, Math.min(featureSide, Math.floor(featureSide * scale)))
  return {
    photo1: drawPhotometric(o, random),
    photo2: drawPhotometric(o, random),
    geometric: {
      top: Math.round(random() * (featureSide - side)),
      left: Math.round(random() * (featureSide - side)),
      side,
      flip: random() < o.flipProbability,
    },
  }
}

/**
 * Photometric transform of ImageNet-normalised images [N, H, W, 3] (one draw for all): back to [0, 1],
 * colour jitter, blur, normalised again.
 */
export function applyPhotometric(image: tf.Tensor4D, p: Photometric): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = tf.tensor1d(IMAGENET_MEAN)
    const std = tf.tensor1d(IMAGENET_STD)
    const unit = tf.clipByValue(tf.add(tf.mul(image, std), mean), 0, 1) as tf.Tensor4D
    const jittered = colourJitter(unit, p)
    const blurred = p.blurSigma > 0 ? gaussianBlur(jittered, p.blurSigma) : jittered
    return tf.div(tf.sub(blurred, mean), std) as tf.Tensor4D
  })
}

/**
 * Crop the geometric region (given in feature cells; `cell` pixels per cell for images) out of
 * [1, H, W, C], resize back to H × W (bilinear, differentiable) and flip.
 */
export function applyGeometric(x: tf.Tensor4D, g: Geometric, cell: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = x.shape
    const crop = tf.slice(x, [0, g.top * cell, g.left * cell, 0], [1, g.side * cell, g.side * cell, c])
    const resized = resizeBilinear(crop, [h, w])
    return g.flip ? (tf.reverse(resized, 2) as tf.Tensor4D) : resized
  })
}
