import { describe, expect, it } from 'vitest'
import { inChromium, isSoftwareAdapter, startGpuBackend } from './gpuBackend'

// In real Chromium (SwiftShader) this step is tested by tests/gpu/gpuTrainingStep.test.ts.
describe('the GPU window step of the backend chain', () => {
  it('tells software rasterisers from hardware by the names Chromium and the drivers give them', () => {
    for (const software of [
      'Google SwiftShader',
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'lavapipe',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)',
    ])
      expect(isSoftwareAdapter(software), software).toBe(true)
    for (const hardware of [
      'nvidia ampere',
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      'amd rdna-3',
      'intel gen-12lp',
    ])
      expect(isSoftwareAdapter(hardware), hardware).toBe(false)
    // WebGPU's own flag wins over a hardware-sounding name.
    expect(isSoftwareAdapter('nvidia ampere', true)).toBe(true)
  })

  it('in Node says it needs Chromium, and starts nothing', async () => {
    expect(inChromium()).toBe(false)
    await expect(startGpuBackend('webgpu', true)).rejects.toThrow(/only inside Chromium/)
  })
})
