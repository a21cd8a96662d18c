import * as tf from '@tensorflow/tfjs'
import type { SeededRandom } from '../../engine/seededRandom'
import { IMAGENET_MEAN, IMAGENET_STD } from '../segmentation/normalizeRgb'
import { gaussianBlur } from '../../models/nn/gaussianBlur'
import { colourJitter, gray, perImage, type ColourJitter } from './colourJitter'

/**
 * DINO's multi-crop views of a batch of unlabelled images, in the two ways our two DINO presets cut them.
 *
 * official (facebookresearch/dino main_dino.py `DataAugmentationDINO`): 2 global crops (224 px, area
 *   scale 0.4–1) and n local crops (96 px, scale 0.05–0.4), each cut by RandomResizedCrop, then
 *   horizontal flip (p ½), colour jitter (brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1; p 0.8),
 *   grayscale (p 0.2) and Gaussian blur σ 0.1–2 (p 1 on the first global crop, 0.1 on the second, ½ on
 *   the local ones), solarisation (p 0.2) on the second global crop. The teacher sees the 2 global
 *   crops; the student sees all of them.
 * lucidrains (lucidrains/vit-pytorch `Dino`, what S4MI ran): each image is augmented twice (colour
 *   jitter 0.8, 0.8, 0.8, 0.2 with p 0.3, grayscale p 0.2, flip p ½, 3×3 blur σ 1–2 with p 0.2); from
 *   each augmented copy one global crop (scale 0.5–1) goes to the teacher and one local crop (scale
 *   0.05–0.4) to the student, both resized to the full image size.
 *
 * Differences from the reference pipelines, on purpose: crops are resampled bilinearly (DINO uses
 * bicubic); the colour-jitter steps run in a fixed order (torchvision shuffles them) and hue is turned
 * in YIQ space rather than HSV. Input images are floats in [0, 1]; every crop comes out normalised with
 * the ImageNet mean and std, as both references do.
 */

export interface MultiCropSettings {
  style: 'official' | 'lucidrains'
  globalSize: number
  globalScale: [number, number]
  /** Local crops per image (official); lucidrains always cuts one per augmented copy. */
  localCrops: number
  localSize: number
  localScale: [number, number]
  jitter: ColourJitter
  grayscaleP: number
  /** Blur probability for the first global crop, the second, and the local crops (official). */
  blurP: [number, number, number]
  /** σ range of the Gaussian blur (DINO: 0.1–2; lucidrains: 1–2 with a 3×3 kernel). */
  blurSigma: [number, number]
  /** Largest blur kernel radius in pixels (lucidrains: 1, i.e. 3×3). */
  blurMaxRadius: number
  solarizeP: number
}

/** DINO's own settings at its own sizes (224/96 px); `scaledMultiCrop` fits them to a smaller image. */
export const OFFICIAL_MULTI_CROP: MultiCropSettings = {
  style: 'official',
  globalSize: 224,
  globalScale: [0.4, 1],
  localCrops: 8,
  localSize: 96,
  localScale: [0.05, 0.4],
  jitter: { p: 0.8, brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1 },
  grayscaleP: 0.2,
  blurP: [1, 0.1, 0.5],
  blurSigma: [0.1, 2],
  blurMaxRadius: 16,
  solarizeP: 0.2,
}

/** lucidrains/vit-pytorch `Dino` defaults (S4MI's DINO): 2 global + 2 local crops at the image size. */
export const LUCIDRAINS_MULTI_CROP: MultiCropSettings = {
  style: 'lucidrains',
  globalSize: 224,
  globalScale: [0.5, 1],
  localCrops: 2,
  localSize: 224,
  localScale: [0.05, 0.4],
  jitter: { p: 0.3, brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2 },
  grayscaleP: 0.2,
  blurP: [0.2, 0.2, 0.2],
  blurSigma: [1, 2],
  blurMaxRadius: 1,
  solarizeP: 0,
}

/**
 * The settings for images of `imageSize` px: global crops at the image size and local crops at DINO's
 * 96/224 of it, rounded to a multiple of `multiple` (a ViT's patch size) and at least one multiple.
 */
export function scaledMultiCrop(base: MultiCropSettings, imageSize: number, multiple = 1): MultiCropSettings {
  const round = (v: number) => Math.max(multiple, Math.round(v / multiple) * multiple)
  const localSize = base.style === 'lucidrains' ? round(imageSize) : round((imageSize * 96) / 224)
  return { ...base, globalSize: round(imageSize), localSize }
}

export interface MultiCropViews {
  /** The teacher's crops, view-major: [T·B, g, g, 3]. */
  teacher: tf.Tensor4D
  /** The student's crops grouped by size (each view-major); concatenating their outputs gives DINO's order. */
  student: tf.Tensor4D[]
  /** The view each student crop was cut from (see dinoLoss). */
  studentViews: number[]
}

/** Cuts the views of `images` [B, H, W, 3] (floats in [0, 1]). The caller disposes them. */
export function multiCrop(
  images: tf.Tensor4D,
  settings: MultiCropSettings,
  random: SeededRandom,
): MultiCropViews {
  const s = settings
  return tf.tidy(() => {
    if (s.style === 'official') {
      const global1 = cropBatch(images, s.globalSize, s.globalScale, random)
      const global2 = cropBatch(images, s.globalSize, s.globalScale, random)
      const g1 = photometric(global1, s, s.blurP[0], 0, random)
      const g2 = photometric(global2, s, s.blurP[1], s.solarizeP, random)
      const teacher = normalise(tf.concat([g1, g2]))
      const locals: tf.Tensor4D[] = []
      for (let i = 0; i < s.localCrops; i++) {
        locals.push(
          photometric(cropBatch(images, s.localSize, s.localScale, random), s, s.blurP[2], 0, random),
        )
      }
      const student = [teacher]
      if (locals.length) student.push(normalise(tf.concat(locals)))
      return {
        teacher,
        student,
        studentViews: Array.from({ length: 2 + s.localCrops }, (_, i) => i),
      } as unknown as tf.TensorContainer
    }
    const copies = [0, 1].map(() => photometric(images, s, s.blurP[0], 0, random))
    const teacher = normalise(tf.concat(copies.map((c) => cropBatch(c, s.globalSize, s.globalScale, random))))
    const student = normalise(tf.concat(copies.map((c) => cropBatch(c, s.localSize, s.localScale, random))))
    return { teacher, student: [student], studentViews: [0, 1] } as unknown as tf.TensorContainer
  }) as unknown as MultiCropViews
}

/**
 * torchvision RandomResizedCrop's box: area fraction in `scale`, aspect ratio log-uniform in [¾, 4/3],
 * 10 tries, then the centre crop with the ratio clamped. Returns [top, left, height, width] in pixels.
 */
export function randomResizedCropBox(
  height: number,
  width: number,
  scale: [number, number],
  random: SeededRandom,
): [number, number, number, number] {
  const area = height * width
  const logRatio = [Math.log(3 / 4), Math.log(4 / 3)]
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (scale[0] + (scale[1] - scale[0]) * random.next())
    const ratio = Math.exp(logRatio[0] + (logRatio[1] - logRatio[0]) * random.next())
    const w = Math.round(Math.sqrt(target * ratio))
    const h = Math.round(Math.sqrt(target / ratio))
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return [random.nextInt(height - h + 1), random.nextInt(width - w + 1), h, w]
    }
  }
  const ratio = width / height
  let w = width
  let h = height
  if (ratio < 3 / 4) h = Math.round(w / (3 / 4))
  else if (ratio > 4 / 3) w = Math.round(h * (4 / 3))
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w]
}

/** One random resized crop per image, resized to size × size, each flipped left-right with p ½. */
function cropBatch(
  images: tf.Tensor4D,
  size: number,
  scale: [number, number],
  random: SeededRandom,
): tf.Tensor4D {
  const [b, height, width] = images.shape
  const boxes: number[][] = []
  for (let i = 0; i < b; i++) {
    const [top, left, h, w] = randomResizedCropBox(height, width, scale, random)
    const y1 = top / Math.max(1, height - 1)
    const y2 = (top + h - 1) / Math.max(1, height - 1)
    let x1 = left / Math.max(1, width - 1)
    let x2 = (left + w - 1) / Math.max(1, width - 1)
    // cropAndResize samples x1 → x2; swapping them mirrors the crop (RandomHorizontalFlip).
    if (random.next() < 0.5) [x1, x2] = [x2, x1]
    boxes.push([y1, x1, y2, x2])
  }
  return tf.image.cropAndResize(
    images,
    tf.tensor2d(boxes, [b, 4]),
    tf.tensor1d(
      Array.from({ length: b }, (_, i) => i),
      'int32',
    ),
    [size, size],
    'bilinear',
  )
}

/** Colour jitter (p), grayscale, blur and solarisation, each drawn per image, on [0, 1] pixels. */
function photometric(
  x: tf.Tensor4D,
  s: MultiCropSettings,
  blurP: number,
  solarizeP: number,
  random: SeededRandom,
): tf.Tensor4D {
  const b = x.shape[0]
  const grayscale = Array.from({ length: b }, () => (random.next() < s.grayscaleP ? 1 : 0))
  const sigmas = Array.from({ length: b }, () =>
    random.next() < blurP ? s.blurSigma[0] + (s.blurSigma[1] - s.blurSigma[0]) * random.next() : 0,
  )
  const solarize = Array.from({ length: b }, () => (random.next() < solarizeP ? 1 : 0))
  let y = colourJitter(x, s.jitter, random)
  const gs = perImage(grayscale)
  y = tf.add(tf.mul(y, tf.sub(1, gs)), tf.mul(gray(y), gs)) as tf.Tensor4D
  if (sigmas.some((v) => v > 0)) {
    y = tf.concat(
      sigmas.map((sigma, i) => {
        const one = tf.slice(y, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D
        return sigma > 0 ? gaussianBlur(one, sigma, s.blurMaxRadius) : one
      }),
    )
  }
  if (solarize.some((v) => v)) {
    // PIL ImageOps.solarize(threshold 128): pixels at or above the threshold are inverted.
    const inverted = tf.where(tf.greaterEqual(y, 128 / 255), tf.sub(1, y), y)
    const flag = perImage(solarize)
    y = tf.add(tf.mul(inverted, flag), tf.mul(y, tf.sub(1, flag))) as tf.Tensor4D
  }
  return y
}

/** ImageNet mean/std normalisation of [0, 1] pixels (torchvision Normalize). */
function normalise(x: tf.Tensor): tf.Tensor4D {
  return tf.div(tf.sub(x, tf.tensor1d(IMAGENET_MEAN)), tf.tensor1d(IMAGENET_STD)) as tf.Tensor4D
}
