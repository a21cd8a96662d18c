import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from '../nn/module'
import { Linear } from '../nn/linear'
import { truncNormal, zeros } from '../nn/init'
import { rollAxes } from './roll'

/**
 * Window multi-head self-attention with a relative position bias, on shifted or plain windows
 * (Swin v1), with torchvision's exact semantics: the map is zero-padded at the bottom/right to a
 * multiple of the window, a window at least as large as the padded map is not shifted, and shifted
 * windows get the −100 attention mask between regions that were not neighbours before the roll.
 * Tensors are NHWC [B, H, W, C]. State-dict names: qkv, proj, relative_position_bias_table,
 * relative_position_index (a buffer, as in torchvision).
 */
export class ShiftedWindowAttention extends Module {
  readonly qkv: Linear
  readonly proj: Linear
  readonly relativePositionBiasTable: TensorSlot
  readonly relativePositionIndex: TensorSlot
  readonly headDim: number
  private readonly masks = new Map<string, Float32Array>()

  constructor(
    readonly dim: number,
    readonly windowSize: number,
    readonly shiftSize: number,
    readonly numHeads: number,
  ) {
    super()
    if (dim % numHeads !== 0) throw new Error(`width ${dim} is not divisible by ${numHeads} heads`)
    if (shiftSize < 0 || shiftSize >= windowSize)
      throw new Error(`shift ${shiftSize} must be in [0, window ${windowSize})`)
    this.headDim = dim / numHeads
    const linear = (i: number, o: number) => new Linear(i, o, { init: truncNormal(0.02), biasInit: zeros })
    this.qkv = this.addModule('qkv', linear(dim, 3 * dim))
    this.proj = this.addModule('proj', linear(dim, dim))
    const span = 2 * windowSize - 1
    this.relativePositionBiasTable = this.addTensor(
      'relative_position_bias_table',
      [span * span, numHeads],
      truncNormal(0.02),
    )
    const index = relativePositionIndex(windowSize)
    this.relativePositionIndex = this.addTensor(
      'relative_position_index',
      [index.length],
      () => tf.tensor1d(index, 'int32'),
      {
        kind: 'buffer',
        dtype: 'int32',
      },
    )
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.dim) {
      throw new Error(`window attention expects NHWC input with ${this.dim} channels, got [${x.shape}]`)
    }
    const [b, h, w, c] = x.shape
    const ws = this.windowSize
    const padB = (ws - (h % ws)) % ws
    const padR = (ws - (w % ws)) % ws
    const padH = h + padB
    const padW = w + padR
    // torchvision: no shift along an axis the window already covers.
    const shiftH = ws >= padH ? 0 : this.shiftSize
    const shiftW = ws >= padW ? 0 : this.shiftSize
    const n = ws * ws
    const windows = (padH / ws) * (padW / ws)
    return tf.tidy(() => {
      let y: tf.Tensor =
        padB || padR
          ? tf.pad(x, [
              [0, 0],
              [0, padB],
              [0, padR],
              [0, 0],
            ])
          : x
      y = rollAxes(y, [0, -shiftH, -shiftW, 0])
      const parts = tf.reshape(
        tf.transpose(tf.reshape(y, [b, padH / ws, ws, padW / ws, ws, c]), [0, 1, 3, 2, 4, 5]),
        [b * windows, n, c],
      )
      const qkv = tf.reshape(this.qkv.forward(parts), [b * windows, n, 3, this.numHeads, this.headDim])
      const [q, k, v] = tf
        .unstack(tf.transpose(qkv, [2, 0, 3, 1, 4]))
        .map((t) => tf.reshape(t, [b * windows * this.numHeads, n, this.headDim]) as tf.Tensor3D)
      let attn: tf.Tensor = tf.matMul(tf.mul(q, this.headDim ** -0.5), k, false, true)
      // Bias and mask are summed first ([windows, heads, N, N]) so the batch-sized add broadcasts only
      // over leading axes, which tfjs' CPU kernels do fast.
      let bias = this.relativeBias()
      if (shiftH > 0 || shiftW > 0) {
        bias = tf.add(tf.tensor4d(this.mask(padH, padW, shiftH, shiftW), [windows, 1, n, n]), bias)
      }
      attn = tf.add(tf.reshape(attn, [b, windows, this.numHeads, n, n]), bias)
      const probs = tf.reshape(tf.softmax(attn), [b * windows * this.numHeads, n, n])
      const mixed = tf.matMul(probs, v)
      const merged = tf.reshape(
        tf.transpose(tf.reshape(mixed, [b * windows, this.numHeads, n, this.headDim]), [0, 2, 1, 3]),
        [b * windows, n, c],
      )
      const out = this.proj.forward(merged)
      let map: tf.Tensor = tf.reshape(
        tf.transpose(tf.reshape(out, [b, padH / ws, padW / ws, ws, ws, c]), [0, 1, 3, 2, 4, 5]),
        [b, padH, padW, c],
      )
      map = rollAxes(map, [0, shiftH, shiftW, 0])
      return (padB || padR ? tf.slice(map, [0, 0, 0, 0], [b, h, w, c]) : map) as tf.Tensor4D
    })
  }

  /** The bias for every pair of window positions: [heads, N, N], broadcast over batch and windows. */
  private relativeBias(): tf.Tensor {
    const n = this.windowSize * this.windowSize
    const gathered = tf.gather(this.relativePositionBiasTable.value, this.relativePositionIndex.value)
    return tf.transpose(tf.reshape(gathered, [n, n, this.numHeads]), [2, 0, 1])
  }

  /** 0 within a region, −100 across regions, per window: [windows, N, N], cached per map size. */
  private mask(padH: number, padW: number, shiftH: number, shiftW: number): Float32Array {
    const key = `${padH}x${padW}/${shiftH},${shiftW}`
    let mask = this.masks.get(key)
    if (!mask) {
      mask = shiftedWindowMask(padH, padW, this.windowSize, shiftH, shiftW)
      this.masks.set(key, mask)
    }
    return mask
  }
}

/** For each pair (i, j) of positions in a window, the row of the bias table: ((dy + ws−1)·(2ws−1) + dx + ws−1). */
export function relativePositionIndex(windowSize: number): Int32Array {
  const n = windowSize * windowSize
  const span = 2 * windowSize - 1
  const index = new Int32Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dy = Math.floor(i / windowSize) - Math.floor(j / windowSize)
      const dx = (i % windowSize) - (j % windowSize)
      index[i * n + j] = (dy + windowSize - 1) * span + dx + windowSize - 1
    }
  }
  return index
}

/**
 * torchvision's mask: label the padded map in 3×3 regions by Python slices (0:−ws, −ws:−shift,
 * −shift:), in order, so later slices overwrite earlier ones (this matters when one shift is 0), then
 * −100 wherever two positions of a window carry different labels.
 */
export function shiftedWindowMask(
  padH: number,
  padW: number,
  ws: number,
  shiftH: number,
  shiftW: number,
): Float32Array {
  const labels = new Int32Array(padH * padW)
  const slicesH = pythonSlices(padH, ws, shiftH)
  const slicesW = pythonSlices(padW, ws, shiftW)
  let count = 0
  for (const [h0, h1] of slicesH) {
    for (const [w0, w1] of slicesW) {
      for (let y = h0; y < h1; y++) for (let x = w0; x < w1; x++) labels[y * padW + x] = count
      count++
    }
  }
  const n = ws * ws
  const cols = padW / ws
  const windows = (padH / ws) * cols
  const mask = new Float32Array(windows * n * n)
  for (let win = 0; win < windows; win++) {
    const y0 = Math.floor(win / cols) * ws
    const x0 = (win % cols) * ws
    const label = (p: number) => labels[(y0 + Math.floor(p / ws)) * padW + x0 + (p % ws)]
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) mask[(win * n + i) * n + j] = label(i) === label(j) ? 0 : -100
    }
  }
  return mask
}

/** The three Python slices (0, −ws), (−ws, −shift), (−shift, None) resolved to [start, end) on a length. */
function pythonSlices(length: number, ws: number, shift: number): [number, number][] {
  const at = (i: number | null, fallback: number) => {
    if (i === null) return fallback
    const resolved = i < 0 ? length + i : i
    return Math.min(Math.max(resolved, 0), length)
  }
  // −0 is Python's 0: a slice "−shift:" with shift 0 is the whole axis, "−ws:−0" is empty.
  const neg = (v: number) => (v === 0 ? 0 : -v)
  const raw: [number, number | null][] = [
    [0, -ws],
    [-ws, neg(shift)],
    [neg(shift), null],
  ]
  return raw.map(([s, e]) => [at(s, 0), at(e, length)])
}
