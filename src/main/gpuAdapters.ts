import { app } from 'electron'
import { chromiumGpuReport, type GpuAdapterReport } from '../shared/gpuAdapters'

/**
 * What this machine's Chromium reports for WebGPU and WebGL2 — hardware adapter or software only — for the
 * backend chain each training worker records. Asked once, after the app is ready.
 */
export async function desktopGpuReport(): Promise<GpuAdapterReport> {
  const status = app.getGPUFeatureStatus() as unknown as Record<string, string>
  let adapter: string | null = null
  try {
    const info = (await app.getGPUInfo('basic')) as {
      gpuDevice?: { vendorId?: number; deviceId?: number; active?: boolean }[]
    }
    const device = info.gpuDevice?.find((d) => d.active) ?? info.gpuDevice?.[0]
    if (device?.vendorId != null)
      adapter = `vendor 0x${device.vendorId.toString(16)}, device 0x${(device.deviceId ?? 0).toString(16)}`
  } catch {
    // getGPUInfo can fail when the GPU process did not start; the feature status still says enough.
  }
  return chromiumGpuReport(status, adapter)
}
