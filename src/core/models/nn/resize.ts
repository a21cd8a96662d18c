import * as tf from '@tensorflow/tfjs'

/**
 * Resizing that matches torch's F.interpolate exactly, forward and backward. tfjs' own bilinear
 * gradient ignores halfPixelCenters (torch's align_corners=False), so bilinear resizing here is two
 * small interpolation-matrix products, whose gradients are exact.
 */

/** F.interpolate(scale_factor=k, mode='nearest') for an integer k: each pixel becomes a k×k block. */
export function upsampleNearest(x: tf.Tensor, factor: number): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`upsampleNearest expects NHWC input, got [${x.shape}]`)
  if (!Number.isInteger(factor) || factor < 1)
    throw new Error(`upsampleNearest needs an integer factor, got ${factor}`)
  if (factor === 1) return x.clone() as tf.Tensor4D
  const [, h, w] = x.shape
  // Forward: tfjs' nearest resize without half-pixel centres picks floor(i / factor), torch's rule.
  // Backward: each input pixel receives the sum of its factor×factor block. We give that gradient
  // ourselves: tfjs' CPU ResizeNearestNeighborGrad disagrees with torch on non-square maps.
  const op = tf.customGrad((...args: unknown[]) => {
    const [input] = args as [tf.Tensor4D]
    const value = tf.image.resizeNearestNeighbor(input, [h * factor, w * factor], false, false)
    const gradFunc = (dy: tf.Tensor) =>
      tf.mul(tf.avgPool(dy as tf.Tensor4D, factor, factor, 'valid'), factor * factor)
    return { value, gradFunc }
  })
  // A scope of our own, so tfjs does not swap in a registered gradient named after the caller's scope.
  return tf.tidy('S4miUpsampleNearest', () => op(x) as tf.Tensor4D)
}

/** Row-interpolation matrix [outSize, inSize] of torch's bilinear (linear per axis) resizing. */
export function bilinearMatrix(inSize: number, outSize: number, alignCorners: boolean): Float32Array {
  const m = new Float32Array(outSize * inSize)
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : inSize / outSize
  for (let i = 0; i < outSize; i++) {
    let src = alignCorners ? scale * i : scale * (i + 0.5) - 0.5
    if (src < 0) src = 0
    const i0 = Math.min(Math.floor(src), inSize - 1)
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0
    const frac = src - i0
    m[i * inSize + i0] += 1 - frac
    m[i * inSize + i1] += frac
  }
  return m
}

/** F.interpolate(size=[h, w], mode='bilinear', align_corners=alignCorners) on NHWC. */
export function resizeBilinear(x: tf.Tensor, size: [number, number], alignCorners = false): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`resizeBilinear expects NHWC input, got [${x.shape}]`)
  const [n, h, w, c] = x.shape
  const [oh, ow] = size
  if (oh === h && ow === w) return x.clone() as tf.Tensor4D
  return tf.tidy(() => {
    const ry = tf.tensor2d(bilinearMatrix(h, oh, alignCorners), [oh, h])
    const rx = tf.tensor2d(bilinearMatrix(w, ow, alignCorners), [ow, w])
    // Rows: [H, N·W·C] → [oh, N·W·C]; then columns: [W, N·oh·C] → [ow, N·oh·C].
    const byRow = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, n * w * c])
    const rowsDone = tf.reshape(tf.matMul(ry, byRow), [oh, n, w, c])
    const byCol = tf.reshape(tf.transpose(rowsDone, [2, 1, 0, 3]), [w, n * oh * c])
    const colsDone = tf.reshape(tf.matMul(rx, byCol), [ow, n, oh, c])
    return tf.transpose(colsDone, [1, 2, 0, 3]) as tf.Tensor4D
  })
}
