import * as tf from '@tensorflow/tfjs'

/** torch F.max_pool2d (floor mode) on NHWC; padded positions never win, as with torch's -inf padding. */
export function maxPool2d(x: tf.Tensor, kernelSize: number, stride = kernelSize, padding = 0): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`maxPool2d expects NHWC input, got [${x.shape}]`)
  return tf.maxPool(x as tf.Tensor4D, kernelSize, stride, padding)
}

/**
 * torch F.adaptive_avg_pool2d on NHWC: output cell i averages input rows floor(i·H/oh) to
 * ceil((i+1)·H/oh) (exclusive), likewise for columns. Global pooling is the common case.
 */
export function adaptiveAvgPool2d(x: tf.Tensor, outputSize: [number, number] = [1, 1]): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`adaptiveAvgPool2d expects NHWC input, got [${x.shape}]`)
  const [, h, w] = x.shape
  const [oh, ow] = outputSize
  return tf.tidy(() => {
    if (oh === 1 && ow === 1) return tf.mean(x, [1, 2], true) as tf.Tensor4D
    if (h % oh === 0 && w % ow === 0) {
      return tf.avgPool(x as tf.Tensor4D, [h / oh, w / ow], [h / oh, w / ow], 'valid')
    }
    const rows: tf.Tensor[] = []
    for (let i = 0; i < oh; i++) {
      const r0 = Math.floor((i * h) / oh)
      const r1 = Math.ceil(((i + 1) * h) / oh)
      const cells: tf.Tensor[] = []
      for (let j = 0; j < ow; j++) {
        const c0 = Math.floor((j * w) / ow)
        const c1 = Math.ceil(((j + 1) * w) / ow)
        cells.push(tf.mean(tf.slice(x, [0, r0, c0, 0], [-1, r1 - r0, c1 - c0, -1]), [1, 2], true))
      }
      rows.push(tf.concat(cells, 2))
    }
    return tf.concat(rows, 1) as tf.Tensor4D
  })
}

/** Global average over H and W: NHWC → [N, C], the embedding torchvision's `avgpool` + flatten give. */
export function globalAvgPool(x: tf.Tensor): tf.Tensor2D {
  if (x.rank !== 4) throw new Error(`globalAvgPool expects NHWC input, got [${x.shape}]`)
  return tf.mean(x, [1, 2]) as tf.Tensor2D
}
