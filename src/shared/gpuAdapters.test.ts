import { describe, expect, it } from 'vitest'
import { chromiumGpuReport, nodeOnlyGpuReport, windowGpuReport } from './gpuAdapters'

describe('the WebGPU/WebGL2 steps of the backend chain', () => {
  it('names a hardware adapter Chromium reports, and sends the run to the GPU training window', () => {
    const report = chromiumGpuReport({ webgpu: 'enabled', webgl2: 'enabled' }, 'vendor 0x10de, device 0x2684')
    expect(report.webgpu).toMatch(/hardware adapter \(vendor 0x10de, device 0x2684\) with webgpu enabled/)
    expect(report.webgl).toMatch(/GPU training window tries it first/)
    expect(report.hardware).toBe(true)
    // WebGL2 alone on hardware is worth the window too.
    expect(chromiumGpuReport({ webgpu: 'disabled_off', webgl2: 'enabled' }, null).hardware).toBe(true)
  })

  it('never counts a software adapter (SwiftShader) as a GPU', () => {
    const report = chromiumGpuReport({ webgpu: 'unavailable_software', webgl2: 'enabled_software' }, null)
    expect(report.webgpu).toMatch(/no hardware adapter .*webgpu unavailable_software/)
    expect(report.webgl).toMatch(/no hardware adapter .*never used for speed/)
    expect(report.hardware).toBe(false)
  })

  it("passes the GPU window's own reasons on to the CPU worker's record", () => {
    const report = windowGpuReport({ webgpu: 'only a software adapter', webgl: 'no WebGL2 context' })
    expect(report.webgpu).toBe('the GPU training window could not use it: only a software adapter')
    expect(report.webgl).toMatch(/could not use it: no WebGL2 context$/)
    expect(report.hardware).toBe(false)
  })

  it('says that Node (serve mode, CLI) has no Chromium to ask', () => {
    expect(nodeOnlyGpuReport.webgpu).toMatch(/only inside the desktop app/)
  })
})
