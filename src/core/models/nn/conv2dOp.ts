import * as tf from '@tensorflow/tfjs'

/**
 * 2-D convolution (NHWC, HWIO filter, symmetric zero padding) with our own filter gradient. The
 * pure-JS backend's Conv2DBackpropFilter walks memory in a cache-hostile order and took ~90% of a
 * training step (15 s of a 19 s tiny U-Net step); on that backend we run a loop whose innermost axis
 * is the contiguous output channel. Every other backend has a fast filter gradient of its own (wasm gets
 * ours, registered by selectBackend), so there the plain op runs: wrapping it would bypass that kernel.
 */
export function conv2dOp(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, padding: number): tf.Tensor4D {
  if (tf.getBackend() !== 'cpu') return tf.conv2d(x, filter, stride, padding, 'NHWC')
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc]
    save([input, w])
    const value = tf.conv2d(input, w, stride, padding, 'NHWC')
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D]
      const dx = tf.conv2dTranspose(dy as tf.Tensor4D, ws, xs.shape, stride, padding)
      return [dx, filterGradientLoop(xs, dy as tf.Tensor4D, ws.shape, stride, padding)]
    }
    return { value, gradFunc }
  })
  // tfjs names a custom-gradient node after the enclosing scope and, if a registered gradient has that
  // name (a scope can inherit 'Conv2D'), uses it instead of ours: a scope of our own prevents that.
  return tf.tidy('S4miConv2dIm2colGrad', () => op(x, filter) as tf.Tensor4D)
}

/** dW[kh, kw, ci, co] = Σ_{n,i,j} xpad[n, i·s + kh, j·s + kw, ci] · dy[n, i, j, co], as a plain loop over the
 * backend's arrays (float64 accumulation), innermost over the contiguous output channel. */
export function filterGradientLoop(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  stride: number,
  padding: number,
): tf.Tensor4D {
  const [kh, kw, ci, co] = filterShape
  const [n, h, w] = x.shape
  const [, oh, ow] = dy.shape
  const xd = x.dataSync() as Float32Array
  const dyd = dy.dataSync() as Float32Array
  const dw = new Float64Array(kh * kw * ci * co)
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const dyAt = ((b * oh + oy) * ow + ox) * co
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * stride + ky - padding
          if (iy < 0 || iy >= h) continue
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * stride + kx - padding
            if (ix < 0 || ix >= w) continue
            const xAt = ((b * h + iy) * w + ix) * ci
            const wAt = (ky * kw + kx) * ci * co
            for (let c = 0; c < ci; c++) {
              const xv = xd[xAt + c]
              if (xv === 0) continue // post-ReLU inputs are often zero
              const row = wAt + c * co
              for (let o = 0; o < co; o++) dw[row + o] += xv * dyd[dyAt + o]
            }
          }
        }
      }
    }
  }
  return tf.tensor4d(Float32Array.from(dw), filterShape)
}
