// Each wasm training kernel against the pure-JS cpu backend's kernel, on random inputs with odd shapes,
// strides and padding modes.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../wasmBackend'
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels'
import { batchChunkLimits } from './batchChunks'
import { columnSumShape } from './sum'
import { coalesceTranspose } from './transpose'
import { expectSameAsCpu, randomValues } from '../fixtures/sameAsCpu'

const convCases: Array<{
  x: number[]
  f: number[]
  strides: number | [number, number]
  pad: tf.backend_util.PadInfo['type'] | 'same' | 'valid' | number | tf.backend_util.ExplicitPadding
}> = [
  { x: [2, 7, 9, 3], f: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 7, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [1, 8, 6, 4], f: [3, 2, 4, 6], strides: [2, 1], pad: 'valid' },
  { x: [3, 5, 5, 2], f: [1, 1, 2, 7], strides: 1, pad: 'valid' },
  { x: [2, 9, 7, 3], f: [1, 1, 3, 4], strides: 2, pad: 'same' },
  { x: [1, 11, 10, 3], f: [7, 7, 3, 8], strides: 2, pad: 'same' },
  { x: [2, 6, 7, 5], f: [3, 3, 5, 3], strides: 1, pad: 1 },
  // More channels than the filter rotation's 32-wide tiles, neither a multiple of them.
  { x: [1, 5, 6, 37], f: [3, 2, 37, 45], strides: 1, pad: 'same' },
  {
    x: [1, 6, 7, 30],
    f: [2, 3, 30, 26],
    strides: 3,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
]

function outShapeOf(c: (typeof convCases)[number], depthwise = false): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x as never,
    c.f as never,
    c.strides,
    1,
    c.pad as never,
    undefined,
    depthwise,
  )
  return info.outShape
}

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    await useWasmBackend()
    registerWasmTrainingKernels()
  })

  it.each(convCases)('Conv2DBackpropFilter x=$x f=$f strides=$strides pad=$pad', async (c) => {
    await expectSameAsCpu(
      'Conv2DBackpropFilter',
      { x: { shape: c.x }, dy: { shape: outShapeOf(c) } },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f },
    )
  })

  // Stride 1 with whole panels of output channels: the indirect GEMM (indirectFilterGradient.ts), summed over
  // blocks of output rows (an image over 512 pixels), of whole images, and of images in two blocks.
  it.each([
    { x: [2, 7, 9, 12], f: [3, 3, 12, 16], pad: 'same' },
    { x: [3, 5, 6, 4], f: [2, 3, 4, 8], pad: 'valid' },
    { x: [1, 23, 25, 8], f: [3, 3, 8, 24], pad: 'same' },
    { x: [13, 6, 7, 4], f: [3, 3, 4, 8], pad: 'same' },
    {
      x: [2, 6, 5, 8],
      f: [3, 2, 8, 16],
      pad: [
        [0, 0],
        [2, 0],
        [1, 3],
        [0, 0],
      ],
    },
  ])('Conv2DBackpropFilter at stride 1 read in place x=$x f=$f pad=$pad', async (c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x as never, c.f as never, 1, 1, c.pad as never)
    await expectSameAsCpu(
      'Conv2DBackpropFilter',
      { x: { shape: c.x }, dy: { shape: info.outShape } },
      { strides: 1, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f },
    )
  })

  it('Conv2DBackpropFilter summed over batch chunks when the patch matrix would be large', async () => {
    const saved = batchChunkLimits.maxPatchFloats
    batchChunkLimits.maxPatchFloats = 600 // fits 2 of the 5 images per chunk: chunks of 2, 2, 1
    try {
      await expectSameAsCpu(
        'Conv2DBackpropFilter',
        { x: { shape: [5, 6, 5, 3] }, dy: { shape: [5, 3, 3, 4] } },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
      )
    } finally {
      batchChunkLimits.maxPatchFloats = saved
    }
  })

  it('strided Conv2DBackpropInput summed over batch chunks (col2im path)', async () => {
    const saved = batchChunkLimits.maxPatchFloats
    batchChunkLimits.maxPatchFloats = 600
    try {
      await expectSameAsCpu(
        'Conv2DBackpropInput',
        { dy: { shape: [5, 3, 3, 4] }, filter: { shape: [3, 3, 3, 4] } },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [5, 6, 5, 3] },
      )
    } finally {
      batchChunkLimits.maxPatchFloats = saved
    }
  })

  it.each(convCases)('Conv2DBackpropInput x=$x f=$f strides=$strides pad=$pad', async (c) => {
    await expectSameAsCpu(
      'Conv2DBackpropInput',
      { dy: { shape: outShapeOf(c) }, filter: { shape: c.f } },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
    )
  })

  const depthwiseCases = [
    { x: [2, 7, 9, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 1 },
    { x: [2, 7, 9, 3], f: [3, 3, 3, 2], strides: 2, pad: 'same', dilations: 1 },
    { x: [1, 6, 7, 5], f: [5, 5, 5, 1], strides: [2, 1], pad: 2, dilations: 1 },
  ] as const
  it.each(depthwiseCases)(
    'DepthwiseConv2dNativeBackpropFilter x=$x f=$f strides=$strides pad=$pad dil=$dilations',
    async (c) => {
      const out = tf.backend_util.computeConv2DInfo(
        c.x as never,
        c.f as never,
        c.strides as never,
        c.dilations,
        c.pad as never,
        undefined,
        true,
      ).outShape
      await expectSameAsCpu(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: { shape: [...c.x] }, dy: { shape: out } },
        { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.f },
      )
    },
  )
  it.each(depthwiseCases)(
    'DepthwiseConv2dNativeBackpropInput x=$x f=$f strides=$strides pad=$pad dil=$dilations',
    async (c) => {
      const out = tf.backend_util.computeConv2DInfo(
        c.x as never,
        c.f as never,
        c.strides as never,
        c.dilations,
        c.pad as never,
        undefined,
        true,
      ).outShape
      await expectSameAsCpu(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: { shape: out }, filter: { shape: [...c.f] } },
        { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x },
      )
    },
  )

  it('UnsortedSegmentSum (gather gradient), with repeated and out-of-range ids', async () => {
    await expectSameAsCpu(
      'UnsortedSegmentSum',
      {
        x: { shape: [6, 3, 2] },
        segmentIds: { shape: [6], values: Int32Array.from([2, 0, 2, 4, 1, 0]), dtype: 'int32' },
      },
      { numSegments: 5 },
    )
  })

  it.each([
    { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
    { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
    { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
    { a: [2, 7, 5], b: [2, 3, 7], transposeA: true, transposeB: true },
    { a: [3, 1, 4, 6], b: [1, 2, 5, 6], transposeA: false, transposeB: true },
    // Batched products on XNNPACK (batchedMatMul.ts): one per batch element, or one for a shared b.
    { a: [4, 9, 6], b: [4, 6, 5], transposeA: false, transposeB: false },
    { a: [3, 33, 17], b: [3, 17, 29], transposeA: false, transposeB: false },
    { a: [2, 3, 33, 17], b: [2, 3, 29, 17], transposeA: false, transposeB: true },
    { a: [3, 9, 6], b: [6, 5], transposeA: false, transposeB: false },
    { a: [3, 6, 9], b: [1, 6, 5], transposeA: true, transposeB: false },
    { a: [1, 9, 6], b: [3, 6, 5], transposeA: false, transposeB: false },
  ])('BatchMatMul a=$a b=$b tA=$transposeA tB=$transposeB', async (c) => {
    await expectSameAsCpu('BatchMatMul', { a: { shape: c.a }, b: { shape: c.b } }, c)
  })

  // Conv2D (conv2D.ts): 1 × 1 at stride 1 without padding is our matrix product; every other undilated one
  // our indirect GEMM (indirectConv2D.ts): odd output channels (a panel cut short), rows not a multiple of 4,
  // strides, explicit and asymmetric padding, rectangular filters, 3 input channels (a stem).
  it.each([
    ...convCases,
    { x: [2, 7, 9, 13], f: [1, 1, 13, 21], strides: 1, pad: 'valid' },
    { x: [1, 5, 5, 64], f: [1, 1, 64, 6], strides: 1, pad: 'same' },
    {
      x: [2, 6, 5, 3],
      f: [1, 1, 3, 17],
      strides: 1,
      pad: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    },
    { x: [2, 7, 9, 13], f: [1, 1, 13, 21], strides: 2, pad: 'valid' },
    { x: [2, 7, 9, 13], f: [3, 3, 13, 21], strides: 1, pad: 'same' },
    { x: [1, 4, 4, 16], f: [3, 3, 16, 2], strides: 1, pad: 'same' },
    { x: [3, 7, 7, 24], f: [3, 3, 24, 16], strides: 1, pad: 'valid' },
    { x: [1, 9, 8, 6], f: [4, 3, 6, 9], strides: [3, 2], pad: 'same' },
    {
      x: [1, 5, 6, 8],
      f: [3, 3, 8, 8],
      strides: 1,
      pad: [
        [0, 0],
        [3, 1],
        [0, 4],
        [0, 0],
      ],
    },
  ])('Conv2D x=$x f=$f strides=$strides pad=$pad', async (c) => {
    await expectSameAsCpu(
      'Conv2D',
      { x: { shape: c.x }, filter: { shape: c.f } },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
    )
  })

  // SplitV (splitV.ts): a concat's gradient. Runs of whole vectors in WebAssembly, others in JavaScript.
  it.each([
    { shape: [2, 5, 7, 12], sizes: [4, 8], axis: 3, dtype: 'float32' },
    { shape: [2, 5, 7, 7], sizes: [3, -1], axis: -1, dtype: 'float32' },
    { shape: [3, 6, 5], sizes: [2, 0, 4], axis: 1, dtype: 'float32' },
    { shape: [4, 6, 8], sizes: 2, axis: 0, dtype: 'int32' },
  ] as const)('SplitV shape=$shape sizes=$sizes axis=$axis $dtype', async (c) => {
    // Integers counted up, as random values in [-1, 1) would all cast to 0.
    const count = c.shape.reduce((a, b) => a * b, 1)
    const values = c.dtype === 'int32' ? Int32Array.from({ length: count }, (_, i) => i - 7) : undefined
    await expectSameAsCpu(
      'SplitV',
      { x: { shape: [...c.shape], dtype: c.dtype, values } },
      { numOrSizeSplits: c.sizes, axis: c.axis },
    )
  })

  it('_FusedMatMul with bias and relu, transposed operands', async () => {
    await expectSameAsCpu(
      '_FusedMatMul',
      // The op layer hands this kernel rank-3 operands.
      { a: { shape: [1, 7, 5] }, b: { shape: [1, 3, 7] }, bias: { shape: [3] } },
      { transposeA: true, transposeB: true, activation: 'relu', leakyreluAlpha: 0.2 },
    )
  })

  // The cpu kernels ignore dilations, so dilated depthwise grads are checked as adjoints of the forward op:
  // <dW, V> = <dy, conv(x, V)> and <dx, v> = <dy, conv(v, W)> for random V and v.
  it('dilated depthwise gradients are the adjoints of the dilated forward conv', async () => {
    await tf.setBackend('wasm')
    const xShape: [number, number, number, number] = [1, 9, 8, 4]
    const fShape: [number, number, number, number] = [3, 2, 4, 3]
    const attrs = { strides: 1, dilations: 2, pad: 'valid' as const }
    const x = tf.tensor4d(randomValues(xShape, 11), xShape)
    const w = tf.tensor4d(randomValues(fShape, 12), fShape)
    const forward = (input: tf.Tensor4D, filter: tf.Tensor4D) =>
      tf.depthwiseConv2d(input, filter, attrs.strides, attrs.pad, 'NHWC', attrs.dilations)
    const dy = tf.tensor(randomValues(forward(x, w).shape, 13), forward(x, w).shape)
    const dw = tf
      .engine()
      .runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        { ...attrs, filterShape: fShape },
      ) as tf.Tensor
    const dx = tf
      .engine()
      .runKernel(
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter: w },
        { ...attrs, inputShape: xShape },
      ) as tf.Tensor
    for (let trial = 0; trial < 3; trial++) {
      const V = tf.tensor4d(randomValues(fShape, 20 + trial), fShape)
      const v = tf.tensor4d(randomValues(xShape, 30 + trial), xShape)
      const lhsW = tf.sum(tf.mul(dw, V)).dataSync()[0]
      const rhsW = tf.sum(tf.mul(dy, forward(x, V))).dataSync()[0]
      const lhsX = tf.sum(tf.mul(dx, v)).dataSync()[0]
      const rhsX = tf.sum(tf.mul(dy, forward(v, w))).dataSync()[0]
      expect(Math.abs(lhsW - rhsW)).toBeLessThan(1e-4 * Math.max(1, Math.abs(rhsW)))
      expect(Math.abs(lhsX - rhsX)).toBeLessThan(1e-4 * Math.max(1, Math.abs(rhsX)))
    }
  })

  it.each([
    { input: [2, 16, 16, 6], filterSize: 2, strides: 2, pad: 'valid' },
    { input: [1, 9, 11, 5], filterSize: 3, strides: 2, pad: 'same' },
    { input: [2, 7, 8, 3], filterSize: [3, 2], strides: 1, pad: 'valid' },
    // Values in steps of 0.5: windows with ties, whose gradient goes to the first maximum.
    { input: [2, 9, 9, 7], filterSize: 3, strides: 2, pad: 'same', ties: true },
  ] as const)('MaxPoolGrad input=$input filter=$filterSize strides=$strides pad=$pad', async (c) => {
    await tf.setBackend('cpu')
    const info = tf.backend_util.computePool2DInfo(
      c.input as never,
      c.filterSize as never,
      c.strides,
      1,
      c.pad,
    )
    const x = randomValues([...c.input], 1).map((v) => ('ties' in c ? Math.round(v * 2) / 2 : v))
    const output = tf.maxPool(tf.tensor4d(x, c.input as never), c.filterSize as never, c.strides, c.pad)
    await expectSameAsCpu(
      'MaxPoolGrad',
      {
        dy: { shape: info.outShape },
        input: { shape: [...c.input], values: x },
        output: { shape: info.outShape, values: output.dataSync() as Float32Array },
      },
      { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
    )
  })

  // Resize gradients are wasm's own kernels; the cpu backend's ResizeNearestNeighborGrad is itself wrong for
  // upsampling, so both are checked as adjoints: <grad, x> = <dy, resize(x)> (resize is linear in x).
  // Not 'halfPixelCenters': tfjs's ResizeBilinear gradient drops that attribute on every backend, which is
  // why models/nn/resize.ts builds torch-style bilinear resizing from matmuls.
  it.each(['bilinear', 'nearest'] as const)(
    '%s resize gradient on wasm is the adjoint of the resize',
    async (mode) => {
      await tf.setBackend('wasm')
      const x = tf.tensor4d(randomValues([2, 5, 7, 3], 41), [2, 5, 7, 3])
      const dy = tf.tensor4d(randomValues([2, 12, 9, 3], 42), [2, 12, 9, 3])
      const resize = (t: tf.Tensor4D) =>
        mode === 'nearest'
          ? tf.image.resizeNearestNeighbor(t, [12, 9])
          : tf.image.resizeBilinear(t, [12, 9], false, false)
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t as tf.Tensor4D), dy)))(x)
      const lhs = tf.sum(tf.mul(grad, x)).dataSync()[0]
      const rhs = tf.sum(tf.mul(resize(x), dy)).dataSync()[0]
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(rhs)))
      tf.dispose([x, dy, grad])
    },
  )

  it.each([
    { shape: [6, 5, 1, 4], reps: [1, 1, 2, 1] },
    { shape: [2, 3, 1, 40], reps: [1, 1, 3, 1] },
    { shape: [2, 3, 4], reps: [2, 1, 3] },
    { shape: [3, 2], reps: [1, 1] },
    { shape: [2, 1, 3, 2, 2], reps: [2, 3, 1, 2, 1] },
  ])('Tile shape=$shape reps=$reps', async (c) => {
    await expectSameAsCpu('Tile', { x: { shape: c.shape } }, { reps: c.reps })
  })

  // Rank 5 and 6 after merging (copied here), and ones that merge to rank 4 or less (the original kernel):
  // a ViT's head split and merge, Swin's window partition and patch merging, axes of size 1, a last axis
  // that moves, runs shorter and longer than the 64 copied whole.
  it.each([
    { shape: [2, 5, 3, 4, 7], perm: [2, 0, 3, 1, 4] },
    { shape: [2, 5, 3, 4, 70], perm: [2, 0, 3, 1, 4] },
    { shape: [1, 5, 3, 4, 7], perm: [2, 0, 3, 1, 4] },
    { shape: [3, 2, 4, 5, 6], perm: [1, 3, 0, 2, 4] },
    { shape: [2, 3, 4, 3, 4, 5], perm: [0, 1, 3, 2, 4, 5] },
    { shape: [2, 3, 2, 4, 2, 5], perm: [0, 1, 3, 4, 2, 5] },
    { shape: [2, 3, 4, 5, 6], perm: [4, 3, 2, 1, 0] },
    { shape: [3, 1, 4, 1, 5, 2], perm: [5, 3, 0, 4, 1, 2] },
    { shape: [2, 3, 4, 5, 6, 7], perm: [1, 0, 2, 5, 3, 4] },
    { shape: [70, 2, 3, 2, 3], perm: [4, 2, 1, 3, 0] },
    { shape: [4, 3, 5], perm: [2, 0, 1] },
    { shape: [2, 12, 9, 8], perm: [0, 2, 1, 3] },
    { shape: [1, 1, 6], perm: [2, 1, 0] },
    { shape: [1, 1, 1], perm: [1, 2, 0] },
    // Blocks of rows in WebAssembly (copyRowsWasm.ts): a Swin head split, a window partition (rank 4 after
    // merging), a rank-3 swap; and blocks too small for it (heads merged back).
    { shape: [2, 49, 3, 3, 32], perm: [2, 0, 3, 1, 4] },
    { shape: [1, 4, 7, 4, 7, 24], perm: [0, 1, 3, 2, 4, 5] },
    { shape: [40, 3, 16], perm: [1, 0, 2] },
    { shape: [4, 3, 5, 32], perm: [0, 2, 1, 3] },
    // Matrices in 4 × 4 tiles (matrixTranspose.ts): rows and columns that are and are not whole tiles and
    // strips of 16, a batch of them, a conv filter gradient's channel-major copy; too small for a tile.
    { shape: [64, 96], perm: [1, 0] },
    { shape: [37, 23], perm: [1, 0] },
    { shape: [4, 5], perm: [1, 0] },
    { shape: [3, 21, 18], perm: [0, 2, 1] },
    { shape: [2, 7, 9, 3, 5], perm: [0, 3, 4, 1, 2] },
    { shape: [2, 6, 5, 12], perm: [3, 0, 1, 2] },
    { shape: [3, 5], perm: [1, 0] },
  ])('Transpose shape=$shape perm=$perm', async (c) => {
    await expectSameAsCpu('Transpose', { x: { shape: c.shape } }, { perm: c.perm })
  })

  it('Transpose merges what stays together: a ViT head split of one image, a Swin window partition', () => {
    expect(coalesceTranspose([1, 197, 3, 12, 64], [2, 0, 3, 1, 4])).toEqual({
      shape: [197, 36, 64],
      perm: [1, 0, 2],
    })
    expect(coalesceTranspose([4, 8, 7, 8, 7, 96], [0, 1, 3, 2, 4, 5])).toEqual({
      shape: [32, 7, 8, 672],
      perm: [0, 2, 1, 3],
    })
    expect(coalesceTranspose([4, 197, 3, 12, 64], [2, 0, 3, 1, 4]).shape).toEqual([4, 197, 3, 12, 64])
  })

  it('Transpose of int32 in blocks of rows', async () => {
    const values = Int32Array.from({ length: 1920 }, (_, i) => i * 7 - 5000)
    await expectSameAsCpu(
      'Transpose',
      { x: { shape: [40, 3, 16], values, dtype: 'int32' } },
      { perm: [1, 0, 2] },
    )
  })

  it('Transpose of int32 matrices in tiles, bits as they are', async () => {
    // Float NaN patterns among them (a signalling one too): copied as bits, not as floats.
    const values = Int32Array.from({ length: 3 * 21 * 18 }, (_, i) =>
      i % 5 === 0 ? 0x7f800001 + i : i % 7 === 0 ? -4194304 : i * 7 - 5000,
    )
    await expectSameAsCpu(
      'Transpose',
      { x: { shape: [3, 21, 18], values, dtype: 'int32' } },
      { perm: [0, 2, 1] },
    )
  })

  it('Transpose of int32 at rank 5', async () => {
    const shape = [2, 3, 2, 2, 3]
    const values = Int32Array.from({ length: 72 }, (_, i) => i * 7 - 50)
    await expectSameAsCpu('Transpose', { x: { shape, values, dtype: 'int32' } }, { perm: [4, 2, 0, 3, 1] })
  })

  it.each([
    { shape: [3, 2, 4, 5, 70], axis: 0 },
    { shape: [2, 5, 3, 4, 7], axis: 2 },
    { shape: [2, 5, 3, 4, 7], axis: -1 },
    { shape: [4, 3], axis: 1 },
    { shape: [1, 3, 1], axis: 1 },
    { shape: [3, 2, 1], axis: 2 },
  ])('Unpack shape=$shape axis=$axis', async (c) => {
    await expectSameAsCpu('Unpack', { value: { shape: c.shape } }, { axis: c.axis })
  })

  // Over leading axes (a bias's gradient), middle axes (a broadcast bias's), with axes of size 1 between,
  // kept dimensions, negative axes; over the innermost and mixed axes (the original kernel).
  it.each([
    { shape: [5, 7, 3], axis: [0], keepDims: false },
    { shape: [4, 3, 5, 6], axis: [0, 1], keepDims: false },
    { shape: [2, 9, 4], axis: [1], keepDims: true },
    { shape: [3, 1, 4, 2], axis: [0, 1], keepDims: false },
    { shape: [3, 4, 1, 5, 2], axis: [1, 3], keepDims: false },
    { shape: [2, 3, 4, 5], axis: [-3, -2], keepDims: true },
    { shape: [300, 70], axis: [0], keepDims: false },
    { shape: [4, 64, 3, 49, 49], axis: [0, 1], keepDims: false },
    { shape: [4, 56, 56, 96], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 6], axis: [1], keepDims: false },
    { shape: [3, 4, 5, 6], axis: [0, 2], keepDims: false },
    { shape: [3, 4], axis: [0, 1], keepDims: false },
  ])('Sum shape=$shape axis=$axis keepDims=$keepDims', async (c) => {
    await expectSameAsCpu('Sum', { x: { shape: c.shape } }, { axis: c.axis, keepDims: c.keepDims })
  })

  it('Sum finds rows to add up where they are', () => {
    expect(columnSumShape([4, 224, 224, 96], [0, 1, 2])).toEqual({ outer: 1, rows: 200704, inner: 96 })
    expect(columnSumShape([4, 64, 3, 49, 49], [0, 1])).toEqual({ outer: 1, rows: 256, inner: 7203 })
    expect(columnSumShape([2, 5, 1, 3], [1, 2])).toEqual({ outer: 2, rows: 5, inner: 3 })
    expect(columnSumShape([4, 6], [1])).toBeNull()
    expect(columnSumShape([3, 4, 5, 6], [0, 2])).toBeNull()
  })

  it('Tile of int32', async () => {
    await tf.setBackend('wasm')
    const tiled = tf.tile(
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      [2, 2],
    )
    expect(tiled.dtype).toBe('int32')
    expect(tiled.arraySync()).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ])
    tiled.dispose()
  })
})
