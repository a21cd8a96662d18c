// torch.roll over several axes at once as one kernel, registered for the pure-JS cpu backend and for wasm:
// element i of each rolled axis moves to (i + shift) mod size. Swin's shifted windows roll a [B, H, W, C] map
// along H and W before and after every second block; as tfjs ops each roll was two slices and a concat forward,
// and a split, two pads and an add backward (about 0.9 s of a Swin-UNet paper step on one thread). Here it is
// one copy each way (the gradient is the roll back), in contiguous runs: the axes after the last rolled one
// are copied whole, and the last rolled axis in its two pieces.
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs'
import { kernelStorage } from './kernelStorage'
import { replaceKernel } from './replaceKernel'

export const Roll = 'S4miRoll'

export interface RollAttrs {
  /** Per axis of x, the shift (any integer; 0 leaves the axis as it is). */
  shifts: number[]
}

/** out = x rolled by `shifts` (one per axis), both row-major of `shape`. */
export function rollInto(x: Float32Array, out: Float32Array, shape: number[], shifts: number[]): void {
  const rank = shape.length
  const k = shape.map((size, axis) => (size === 0 ? 0 : ((shifts[axis] % size) + size) % size))
  let last = rank - 1
  while (last >= 0 && k[last] === 0) last--
  if (last < 0) {
    out.set(x.subarray(0, out.length))
    return
  }
  const strides = new Array<number>(rank)
  for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride
    stride *= shape[axis]
  }
  const run = strides[last]
  const size = shape[last]
  const tail = k[last] * run
  const head = (size - k[last]) * run
  // Every index of the axes before the last rolled one, the source offset following each axis's rolled index.
  const from = (axis: number, i: number) => (i - k[axis] + shape[axis]) % shape[axis]
  const count = shape.slice(0, last).reduce((p, q) => p * q, 1)
  const index = new Array<number>(last).fill(0)
  let src = 0
  for (let axis = 0; axis < last; axis++) src += from(axis, 0) * strides[axis]
  for (let q = 0, dst = 0; q < count; q++, dst += size * run) {
    // Output [0, k) of the last rolled axis from the source's [size − k, size), then [k, size) from [0, size − k).
    out.set(x.subarray(src + head, src + head + tail), dst)
    out.set(x.subarray(src, src + head), dst + tail)
    for (let axis = last - 1; axis >= 0; axis--) {
      src -= from(axis, index[axis]) * strides[axis]
      index[axis] = (index[axis] + 1) % shape[axis]
      src += from(axis, index[axis]) * strides[axis]
      if (index[axis] !== 0) break
    }
  }
}

function configs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: RollAttrs }) => {
    const { x } = args.inputs
    const store = kernelStorage(backendName, args.backend, Roll)
    const out = store.make(x.shape)
    rollInto(store.read(x), store.read(out), x.shape, args.attrs.shifts)
    return out
  }
  return [{ kernelName: Roll, backendName, kernelFunc: kernelFunc as unknown as KernelFunc }]
}

const configsByBackend = { cpu: configs('cpu'), wasm: configs('wasm') }

/** The kernel's config for a backend (the same object every call, so registering twice is a no-op). */
export function rollKernelConfigs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  return configsByBackend[backendName]
}

/** Registers the kernel for `backendName` (idempotent). */
export function registerRollKernels(backendName: 'cpu' | 'wasm'): void {
  for (const config of rollKernelConfigs(backendName)) replaceKernel(config)
}
