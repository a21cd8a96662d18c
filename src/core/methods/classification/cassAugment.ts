import * as tf from '@tensorflow/tfjs'
import type { SeededRandom } from '../../engine/seededRandom'
import { IMAGENET_MEAN, IMAGENET_STD } from '../segmentation/normalizeRgb'
import { colourJitter } from './colourJitter'
import { registerCpuTransform } from '../../engine/backend/cpuTransform'

// tfjs-cpu's tf.image.transform transforms only the first image of a batch (cpuTransform.ts): ours in its place.
registerCpuTransform()

/**
 * CASS's training augmentation (pranavsinghps1/CASS `CASS.ipynb`, `train_transform`), drawn per
 * image on [0, 1] pixels, then ImageNet normalisation. Both networks see the same result:
 *  - with p 0.3: ColorJitter(0.2, 0.2, 0.2) and RandomPerspective(distortion 0.2, its own p ½);
 *  - with p 0.3: RandomAffine(±10°) (a rotation about the centre);
 *  - RandomVerticalFlip(0.3), RandomHorizontalFlip(0.3).
 * Pixels moved in from outside are black (torchvision's fill 0).
 */
export function cassAugment(images: tf.Tensor4D, random: SeededRandom): tf.Tensor4D {
  const [b, h, w] = images.shape
  const first = Array.from({ length: b }, () => random.next() < 0.3)
  const jitter = { p: 1, brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0 }
  const transforms: number[][] = []
  for (let i = 0; i < b; i++) {
    let m = identity()
    if (first[i] && random.next() < 0.5) m = compose(m, perspective(w, h, 0.2, random))
    if (random.next() < 0.3) m = compose(m, rotation(w, h, -10 + 20 * random.next()))
    if (random.next() < 0.3) m = compose(m, [1, 0, 0, 0, -1, h - 1, 0, 0])
    if (random.next() < 0.3) m = compose(m, [-1, 0, w - 1, 0, 1, 0, 0, 0])
    transforms.push(m)
  }
  return tf.tidy(() => {
    const chosen = first.map((on, i) => (on ? i : -1)).filter((i) => i >= 0)
    let x: tf.Tensor4D = images
    if (chosen.length) {
      // Jitter only the chosen images; the rest pass through untouched.
      const jittered = colourJitter(tf.gather(images, chosen), jitter, random)
      const parts = tf.unstack(images)
      const changed = tf.unstack(jittered)
      chosen.forEach((i, k) => (parts[i] = changed[k]))
      x = tf.stack(parts) as tf.Tensor4D
    }
    const moved = transforms.some((m) => m.some((v, k) => v !== identity()[k]))
    if (moved) x = tf.image.transform(x, tf.tensor2d(transforms, [b, 8]), 'bilinear', 'constant', 0)
    return tf.div(tf.sub(x, tf.tensor1d(IMAGENET_MEAN)), tf.tensor1d(IMAGENET_STD)) as tf.Tensor4D
  })
}

/** A projective map output pixel → input pixel, tf.image.transform's 8 numbers (a0 a1 a2 b0 b1 b2 c0 c1). */
type Projective = number[]

function identity(): Projective {
  return [1, 0, 0, 0, 1, 0, 0, 0]
}

function toMatrix(p: Projective): number[][] {
  return [
    [p[0], p[1], p[2]],
    [p[3], p[4], p[5]],
    [p[6], p[7], 1],
  ]
}

/** outer ∘ inner: an output point is mapped by `inner` (the later augmentation) first. */
function compose(outer: Projective, inner: Projective): Projective {
  const a = toMatrix(outer)
  const b = toMatrix(inner)
  const m = a.map((row) => [0, 1, 2].map((j) => row.reduce((acc, v, k) => acc + v * b[k][j], 0)))
  return [m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1]].map((v) => v / m[2][2])
}

function rotation(w: number, h: number, degrees: number): Projective {
  const t = (degrees * Math.PI) / 180
  const cx = (w - 1) / 2
  const cy = (h - 1) / 2
  const c = Math.cos(t)
  const s = Math.sin(t)
  // input = R(−t)·(output − centre) + centre
  return [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy, 0, 0]
}

/**
 * torchvision RandomPerspective.get_params: each corner moves inwards by up to distortion·half the
 * side; the map sends the moved corners (output) back to the image corners (input).
 */
function perspective(w: number, h: number, distortion: number, random: SeededRandom): Projective {
  const dx = Math.floor(distortion * (w / 2))
  const dy = Math.floor(distortion * (h / 2))
  const r = (n: number) => random.nextInt(n + 1)
  const start = [
    [0, 0],
    [w - 1, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ]
  const end = [
    [r(dx), r(dy)],
    [w - 1 - r(dx), r(dy)],
    [w - 1 - r(dx), h - 1 - r(dy)],
    [r(dx), h - 1 - r(dy)],
  ]
  return homography(end, start)
}

/** The projective map taking each `from` point to its `to` point (4 pairs, 8 unknowns). */
export function homography(from: number[][], to: number[][]): Projective {
  const rows: number[][] = []
  from.forEach(([x, y], i) => {
    const [u, v] = to[i]
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v])
  })
  // Gauss-Jordan with partial pivoting on the 8 × 9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let pivot = c
    for (let r = c + 1; r < 8; r++) if (Math.abs(rows[r][c]) > Math.abs(rows[pivot][c])) pivot = r
    ;[rows[c], rows[pivot]] = [rows[pivot], rows[c]]
    const d = rows[c][c]
    if (Math.abs(d) < 1e-12) return identity()
    for (let k = c; k < 9; k++) rows[c][k] /= d
    for (let r = 0; r < 8; r++) {
      if (r === c) continue
      const f = rows[r][c]
      if (f !== 0) for (let k = c; k < 9; k++) rows[r][k] -= f * rows[c][k]
    }
  }
  return rows.map((row) => row[8])
}
