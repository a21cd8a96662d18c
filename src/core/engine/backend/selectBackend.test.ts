import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { describeBackend, NoBackendError, selectBackend } from './selectBackend'

describe('selectBackend', () => {
  it('falls past the absent tfjs-node packages to wasm, says why, and flags it as a slow fallback', async () => {
    const info = await selectBackend({ env: {} })
    // This machine has no libtensorflow: tfjs-node(-gpu) cannot be installed here.
    expect(info.skipped.map((s) => s.split(':')[0])).toEqual(['node-gpu', 'webgpu', 'webgl', 'node'])
    // WebGPU and WebGL2 live in Chromium; in Node the chain says so.
    expect(info.skipped[1]).toMatch(/only inside the desktop app/)
    expect(info.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(info.slowFallback).toBe(true)
    expect(info.warning).toMatch(/WebAssembly/)
    expect(describeBackend(info)).toMatch(/^wasm on CPU \(WebAssembly.*SLOW FALLBACK/)
    // The training kernels are registered with it.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
  })

  it('a chain of only the GPU backends tries just those, and says why each failed', async () => {
    await tf.setBackend('cpu')
    const gpu = { webgpu: 'no adapter A', webgl: 'no context B' }
    const error = await selectBackend({ env: {}, chain: ['node-gpu', 'webgpu', 'webgl'], gpu }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(NoBackendError)
    const reasons = (error as NoBackendError).reasons
    expect(Object.keys(reasons)).toEqual(['node-gpu', 'webgpu', 'webgl'])
    // In Node the GPU steps fail with what the desktop app's Chromium said.
    expect(reasons.webgpu).toBe('no adapter A')
    expect(reasons.webgl).toBe('no context B')
    expect((error as Error).message).toMatch(
      /^no tfjs backend could start:\nnode-gpu: .*\nwebgpu: no adapter A\nwebgl: no context B$/,
    )
    // Nothing on the CPU was started instead.
    expect(tf.getBackend()).toBe('cpu')
  })

  it('honours S4MI_BACKEND and the option, which wins', async () => {
    expect((await selectBackend({ env: { S4MI_BACKEND: 'cpu' } })).name).toBe('cpu')
    expect(tf.getBackend()).toBe('cpu')
    expect((await selectBackend({ env: { S4MI_BACKEND: 'cpu' }, backend: 'wasm' })).name).toBe('wasm')
  })

  it('rejects an unknown backend name, and a forced backend that cannot start, by name', async () => {
    await expect(selectBackend({ env: { S4MI_BACKEND: 'cuda' } })).rejects.toThrow(
      /S4MI_BACKEND: unknown backend 'cuda'/,
    )
    await expect(selectBackend({ backend: 'node' })).rejects.toThrow(
      /backend 'node' was requested but failed/,
    )
  })

  it('names the folder when the wasm binaries are not where S4MI_WASM_DIR points', async () => {
    await expect(selectBackend({ backend: 'wasm', wasmDir: '/nonexistent/wasm' })).rejects.toThrow(
      /tfjs-backend-wasm\.wasm not found in \/nonexistent\/wasm/,
    )
  })
})
