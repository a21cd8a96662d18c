import { describe, expect, it } from 'vitest'
import { backendRecord, readBackendRecord } from './backendRecord'

describe('backendRecord', () => {
  it('reads back what it wrote: the backend used and each skipped one with its reason', () => {
    const skipped = [
      'node-gpu: @tensorflow/tfjs-node-gpu is not installed',
      'webgpu: runs only inside the desktop app (serve mode and the CLI train in Node)',
    ]
    const line = backendRecord('wasm', 'CPU (WebAssembly SIMD, 1 thread)', skipped)
    expect(line).toBe(
      'wasm (CPU (WebAssembly SIMD, 1 thread)); skipped node-gpu: @tensorflow/tfjs-node-gpu is not installed; ' +
        'webgpu: runs only inside the desktop app (serve mode and the CLI train in Node)',
    )
    expect(readBackendRecord(line)).toEqual({ used: 'wasm (CPU (WebAssembly SIMD, 1 thread))', skipped })
    expect(readBackendRecord(backendRecord('cpu', 'CPU', []))).toEqual({ used: 'cpu (CPU)', skipped: [] })
  })
})
