import * as tf from '@tensorflow/tfjs'

/**
 * The most bytes of tensor data alive at once while `run` runs, above what was alive before: counted per
 * data buffer, so a clone or a reshape (a new tensor over the same buffer) adds nothing, unlike
 * `tf.profile`'s peakBytes, which counts every tensor (tfjs's backward keeps a clone of each saved tensor).
 * It watches the engine's tensor tracking (tfjs-core 4.22's trackTensor/disposeTensor) while `run` runs.
 */
export function bufferPeak<T>(run: () => T): { result: T; peakBytes: number } {
  const engine = tf.engine() as unknown as {
    state: { tensorInfo: WeakMap<object, unknown> | Map<object, unknown> }
    trackTensor(t: tf.Tensor, backend: unknown): void
    disposeTensor(t: tf.Tensor): void
  }
  if (typeof engine.trackTensor !== 'function' || typeof engine.disposeTensor !== 'function')
    throw new Error(
      "bufferPeak: this tfjs's engine has no trackTensor/disposeTensor (written for tfjs-core 4.22)",
    )
  const buffers = new Map<object, number>()
  let live = 0
  let peak = 0
  const track = engine.trackTensor
  const dispose = engine.disposeTensor
  engine.trackTensor = function (this: typeof engine, t, backend) {
    const dataId = t.dataId as object
    const fresh = !this.state.tensorInfo.has(dataId)
    track.call(this, t, backend)
    if (fresh) {
      const bytes = t.size * (t.dtype === 'complex64' ? 8 : 4)
      buffers.set(dataId, bytes)
      live += bytes
      peak = Math.max(peak, live)
    }
  }
  engine.disposeTensor = function (this: typeof engine, t) {
    dispose.call(this, t)
    const dataId = t.dataId as object
    const bytes = buffers.get(dataId)
    if (bytes != null && !this.state.tensorInfo.has(dataId)) {
      live -= bytes
      buffers.delete(dataId)
    }
  }
  try {
    return { result: run(), peakBytes: peak }
  } finally {
    engine.trackTensor = track
    engine.disposeTensor = dispose
  }
}
