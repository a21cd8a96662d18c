import { describe, expect, it } from 'vitest'
import { chromiumGpuReport, nodeOnlyGpuReport } from './gpuAdapters'

describe('the WebGPU/WebGL2 steps of the backend chain', () => {
  it('names a hardware adapter Chromium reports, and says GPU-window training is not in this version', () => {
    const report = chromiumGpuReport({ webgpu: 'enabled', webgl2: 'enabled' }, 'vendor 0x10de, device 0x2684')
    expect(report.webgpu).toMatch(/hardware adapter \(vendor 0x10de, device 0x2684\) with webgpu enabled/)
    expect(report.webgl).toMatch(/not in this version/)
  })

  it('never counts a software adapter (SwiftShader) as a GPU', () => {
    const report = chromiumGpuReport({ webgpu: 'unavailable_software', webgl2: 'enabled_software' }, null)
    expect(report.webgpu).toMatch(/no hardware adapter .*webgpu unavailable_software/)
    expect(report.webgl).toMatch(/no hardware adapter .*never used for speed/)
  })

  it('says that Node (serve mode, CLI) has no Chromium to ask', () => {
    expect(nodeOnlyGpuReport.webgpu).toMatch(/only inside the desktop app/)
  })
})
