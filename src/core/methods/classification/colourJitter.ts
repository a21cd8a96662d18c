import * as tf from '@tensorflow/tfjs'
import type { SeededRandom } from '../../engine/seededRandom'

/**
 * torchvision's ColorJitter on [0, 1] pixels, drawn per image: with probability p, brightness,
 * contrast and saturation factors uniform in [1 − s, 1 + s] and a hue turn uniform in ±hue of a full
 * turn. Differences on purpose: the four steps run in a fixed order (torchvision shuffles them) and
 * hue turns in YIQ space rather than HSV.
 */
export interface ColourJitter {
  /** Probability the jitter is applied at all. */
  p: number
  brightness: number
  contrast: number
  saturation: number
  hue: number
}

export function colourJitter(x: tf.Tensor4D, j: ColourJitter, random: SeededRandom): tf.Tensor4D {
  const b = x.shape[0]
  const factor = (strength: number, on: boolean) =>
    on && strength > 0 ? 1 - strength + 2 * strength * random.next() : 1
  const jittered = Array.from({ length: b }, () => random.next() < j.p)
  const brightness = jittered.map((on) => factor(j.brightness, on))
  const contrast = jittered.map((on) => factor(j.contrast, on))
  const saturation = jittered.map((on) => factor(j.saturation, on))
  const hue = jittered.map((on) => (on ? (2 * random.next() - 1) * j.hue : 0))
  return tf.tidy(() => {
    let y = tf.clipByValue(tf.mul(x, perImage(brightness)), 0, 1) as tf.Tensor4D
    const mean = tf.mean(gray(y), [1, 2, 3], true)
    y = tf.clipByValue(tf.add(tf.mul(tf.sub(y, mean), perImage(contrast)), mean), 0, 1) as tf.Tensor4D
    const g = gray(y)
    y = tf.clipByValue(tf.add(tf.mul(tf.sub(y, g), perImage(saturation)), g), 0, 1) as tf.Tensor4D
    if (hue.some((h) => h !== 0)) y = rotateHue(y, hue)
    return y
  })
}

const LUMA = [0.299, 0.587, 0.114]

export function gray(x: tf.Tensor4D): tf.Tensor4D {
  return tf.sum(tf.mul(x, tf.tensor1d(LUMA)), -1, true) as tf.Tensor4D
}

/** Per-image factor as a [B, 1, 1, 1] tensor. */
export function perImage(values: number[]): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1])
}

/** Hue turned by `turns` × 360° per image, as a rotation of the chroma plane in YIQ space. */
function rotateHue(x: tf.Tensor4D, turns: number[]): tf.Tensor4D {
  const toYiq = tf.tensor2d([
    [0.299, 0.596, 0.211],
    [0.587, -0.274, -0.523],
    [0.114, -0.322, 0.312],
  ])
  const fromYiq = tf.tensor2d([
    [1, 1, 1],
    [0.956, -0.272, -1.106],
    [0.621, -0.647, 1.703],
  ])
  const [b, h, w] = x.shape
  const yiq = tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), toYiq), [b, h * w, 3])
  const rotations = turns.map((t) => {
    const a = 2 * Math.PI * t
    return [
      [1, 0, 0],
      [0, Math.cos(a), Math.sin(a)],
      [0, -Math.sin(a), Math.cos(a)],
    ]
  })
  const turned = tf.matMul(yiq, tf.tensor3d(rotations))
  const rgb = tf.matMul(tf.reshape(turned, [-1, 3]), fromYiq)
  return tf.clipByValue(tf.reshape(rgb, [b, h, w, 3]), 0, 1) as tf.Tensor4D
}
