import { describe, expect, it } from 'vitest'
import { wasmHeapLimitBytes } from './memoryEstimate'
import { processOverheadBytes, reservedBytes, runMemoryBound, trainingCapacity } from './runCapacity'

const GiB = 1024 ** 3

describe('runMemoryBound', () => {
  it('takes the largest measured peak of the same configuration with a 25 % margin', () => {
    expect(runMemoryBound('wasm', [1 * GiB, 2 * GiB, 1.5 * GiB])).toBe(Math.ceil(2.5 * GiB))
    expect(runMemoryBound('tensorflow', [0.8 * GiB])).toBe(Math.ceil(1.0 * GiB))
  })
  it('without a measurement: the wasm ceiling plus the process, and unbounded elsewhere', () => {
    expect(runMemoryBound('wasm', [])).toBe(wasmHeapLimitBytes + processOverheadBytes)
    expect(runMemoryBound('wasm', [NaN, 0])).toBe(wasmHeapLimitBytes + processOverheadBytes)
    expect(runMemoryBound('webgpu', [])).toBe(Infinity)
    expect(runMemoryBound(null, [])).toBe(Infinity)
  })
})

describe('trainingCapacity', () => {
  it('offers every core but one and the memory the system does not keep', () => {
    // A 2-core, 24 GiB machine (this one): one thread, 22 GiB; five wasm runs of 4.75 GiB would not fit.
    expect(trainingCapacity(2, 24 * GiB)).toEqual({ threads: 1, bytes: 24 * GiB - reservedBytes })
    expect(trainingCapacity(16, 64 * GiB)).toEqual({ threads: 15, bytes: 62 * GiB })
    expect(trainingCapacity(1, 1 * GiB)).toEqual({ threads: 1, bytes: 0 })
  })
})
