import { describe, expect, it } from 'vitest'
import { probeBackend } from './backendProbe'
import { forkLauncher } from './workerLauncher'

describe('backend probe', () => {
  it('asks a real worker process which backend training gets', async () => {
    const b = await probeBackend(forkLauncher)
    // No native tfjs here: the worker must fall back to wasm (or pure JS) and say it is slow.
    expect(['wasm', 'cpu', 'node', 'node-gpu']).toContain(b.name)
    if (b.name === 'wasm' || b.name === 'cpu') {
      expect(b.slowFallback).toBe(true)
      expect(b.warning).toMatch(/slow|slower/i)
    }
  })
})
