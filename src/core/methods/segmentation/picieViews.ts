import * as tf from '@tensorflow/tfjs'
import { resizeBilinear } from '../../models/nn/resize'

/**
 * PiCIE's two kinds of transform, drawn once per image per epoch (PiCIE's dataset.reshuffle()) so the
 * labels computed for a view match the view seen in training.
 * - Photometric (invariance), a different draw for each view: brightness/contrast/saturation jitter
 *   with probability 0.8, grayscale with probability 0.2, Gaussian blur σ 0.1–2 with probability 0.5
 *   (PIL's radius = σ, as MoCo-style pipelines use). The images are already normalised, so the jitter
 *   scales around zero (brightness) and around the image or pixel mean (contrast, saturation). Hue
 *   jitter is not implemented.
 * - Geometric (equivariance), shared by both views: a random square crop of 50–100 % of the area and a
 *   horizontal flip. View 1 applies it to the image before the net, view 2 to the feature map after it.
 *   Crops are aligned to the feature grid so both land on exactly the same region.
 */

export interface Photometric {
  brightness: number
  contrast: number
  saturation: number
  grayscale: boolean
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
  jitter: number
  jitterProbability: number
  grayscaleProbability: number
  blurProbability: number
  minScale: number
  flipProbability: number
}

function drawPhotometric(o: PicieViewOptions, random: () => number): Photometric {
  const factor = () => (random() < o.jitterProbability ? 1 - o.jitter + 2 * o.jitter * random() : 1)
  return {
    brightness: factor(),
    contrast: factor(),
    saturation: factor(),
    grayscale: random() < o.grayscaleProbability,
    blurSigma: random() < o.blurProbability ? 0.1 + 1.9 * random() : 0,
  }
}

export function drawViewParams(
  featureSide: number,
  o: PicieViewOptions,
  random: () => number,
): PicieViewParams {
  const area = o.minScale + (1 - o.minScale) * random()
  const side = Math.max(1, Math.min(featureSide, Math.round(featureSide * Math.sqrt(area))))
  return {
    photo1: drawPhotometric(o, random),
    photo2: drawPhotometric(o, random),
    geometric: {
      top: Math.floor(random() * (featureSide - side + 1)),
      left: Math.floor(random() * (featureSide - side + 1)),
      side,
      flip: random() < o.flipProbability,
    },
  }
}

/** Photometric jitter of one image [1, H, W, 3]. */
export function applyPhotometric(image: tf.Tensor4D, p: Photometric): tf.Tensor4D {
  return tf.tidy(() => {
    let x: tf.Tensor = tf.mul(image, p.brightness)
    x = tf.add(tf.mul(tf.sub(x, tf.mean(x)), p.contrast), tf.mean(x))
    const gray = tf.mean(x, -1, true)
    x = tf.add(tf.mul(tf.sub(x, gray), p.saturation), gray)
    if (p.grayscale) x = tf.tile(tf.mean(x, -1, true), [1, 1, 1, 3])
    return p.blurSigma > 0 ? gaussianBlur(x as tf.Tensor4D, p.blurSigma) : (x as tf.Tensor4D)
  })
}

/** Separable Gaussian blur, radius ⌈3σ⌉, edges replicated, per channel. */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3]
    const radius = Math.max(1, Math.ceil(3 * sigma))
    const taps = Array.from({ length: 2 * radius + 1 }, (_, i) =>
      Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
    )
    const total = taps.reduce((a, b) => a + b, 0)
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
