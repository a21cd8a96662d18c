import * as tf from '@tensorflow/tfjs'

/**
 * PiCIE's photometric transforms (data/custom_transforms.py: RandomColorBrightness, …Contrast,
 * …Saturation, RandomColorHue, RandomGrayScale), which call torchvision's functional adjustments on
 * PIL images, so on pixel values in [0, 1], each result clamped to [0, 1]:
 * - brightness f: x·f (blend with black);
 * - contrast f: blend with the mean luma of the whole image, f·x + (1 − f)·mean;
 * - saturation f: blend with each pixel's luma;
 * - hue h: rotate the HSV hue by h (a fraction of the circle);
 * - grayscale: the luma in all three channels.
 * Luma is ITU-R 601 (0.299 R + 0.587 G + 0.114 B, PIL's "L"). The factors are applied in PiCIE's fixed
 * order; images are [N, H, W, 3] in [0, 1], one set of factors for the batch (call per image).
 */
export interface ColourJitter {
  brightness: number
  contrast: number
  saturation: number
  /** In [−0.5, 0.5]: a fraction of the hue circle. */
  hue: number
  grayscale: boolean
}

export const NO_JITTER: ColourJitter = { brightness: 1, contrast: 1, saturation: 1, hue: 0, grayscale: false }

function luma(x: tf.Tensor4D): tf.Tensor4D {
  return tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true) as tf.Tensor4D
}

function blend(x: tf.Tensor, other: tf.Tensor, factor: number): tf.Tensor4D {
  return tf.clipByValue(tf.add(tf.mul(x, factor), tf.mul(other, 1 - factor)), 0, 1) as tf.Tensor4D
}

/** torchvision _rgb2hsv on [N, H, W, 3] in [0, 1]: hue and saturation in [0, 1), value = max. */
function rgbToHsv(x: tf.Tensor4D): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [r, g, b] = tf.split(x, 3, -1)
  const maxc = tf.max(x, -1, true)
  const minc = tf.min(x, -1, true)
  const eqc = tf.equal(maxc, minc)
  const cr = tf.sub(maxc, minc)
  const ones = tf.onesLike(maxc)
  const s = tf.div(cr, tf.where(eqc, ones, maxc))
  const divisor = tf.where(eqc, ones, cr)
  const rc = tf.div(tf.sub(maxc, r), divisor)
  const gc = tf.div(tf.sub(maxc, g), divisor)
  const bc = tf.div(tf.sub(maxc, b), divisor)
  const isR = tf.equal(maxc, r)
  const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR))
  const isB = tf.logicalAnd(tf.logicalNot(tf.equal(maxc, g)), tf.logicalNot(isR))
  const hr = tf.mul(tf.cast(isR, 'float32'), tf.sub(bc, gc))
  const hg = tf.mul(tf.cast(isG, 'float32'), tf.add(2, tf.sub(rc, bc)))
  const hb = tf.mul(tf.cast(isB, 'float32'), tf.add(4, tf.sub(gc, rc)))
  const h6 = tf.add(tf.div(tf.add(tf.add(hr, hg), hb), 6), 1)
  return [tf.sub(h6, tf.floor(h6)), s, maxc]
}

/** torchvision _hsv2rgb. */
function hsvToRgb(h: tf.Tensor, s: tf.Tensor, v: tf.Tensor): tf.Tensor4D {
  const h6 = tf.mul(h, 6)
  const i = tf.floor(h6)
  const f = tf.sub(h6, i)
  const sector = tf.mod(tf.cast(i, 'int32'), 6)
  const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1)
  const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1)
  const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1)
  const pick = (order: tf.Tensor[]) =>
    order.reduce((acc, value, k) => tf.where(tf.equal(sector, k), value, acc), tf.zerosLike(v))
  return tf.concat(
    [pick([v, q, p, p, t, v]), pick([t, v, v, q, p, p]), pick([p, p, t, v, v, q])],
    -1,
  ) as tf.Tensor4D
}

export function colourJitter(x: tf.Tensor4D, j: ColourJitter): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x
    if (j.brightness !== 1) y = tf.clipByValue(tf.mul(y, j.brightness), 0, 1) as tf.Tensor4D
    if (j.contrast !== 1) {
      const mean = tf.mean(luma(y), [1, 2, 3], true)
      y = blend(y, mean, j.contrast)
    }
    if (j.saturation !== 1) y = blend(y, luma(y), j.saturation)
    if (j.hue !== 0) {
      const [h, s, v] = rgbToHsv(y)
      const shifted = tf.add(h, j.hue)
      y = hsvToRgb(tf.sub(shifted, tf.floor(shifted)), s, v)
    }
    if (j.grayscale) y = tf.tile(luma(y), [1, 1, 1, 3]) as tf.Tensor4D
    return y === x ? tf.clone(x) : y
  })
}
