// The WebGPU and WebGL2 steps of the backend chain. Both run in Chromium, never in Node: the desktop app's main
// process reads what Chromium reports (hardware or software adapter). With a hardware adapter a run starts in
// the GPU training window; otherwise (or when that window cannot train) the CPU worker records these reasons
// with the rest of the chain. No tfjs here.

/** Why WebGPU and WebGL2 were not used for this run, as the chain reports each skipped backend. */
export interface GpuAdapterReport {
  webgpu: string
  webgl: string
  /** Chromium reports a hardware adapter for WebGPU or WebGL2: worth starting the GPU training window. */
  hardware?: boolean
}

/** Serve mode and the CLI train in Node: there is no Chromium to ask. */
export const nodeOnlyGpuReport: GpuAdapterReport = {
  webgpu: 'runs only inside the desktop app (serve mode and the CLI train in Node)',
  webgl: 'runs only inside the desktop app (serve mode and the CLI train in Node)',
}

/** What Chromium says about one feature, in the shape of Electron's app.getGPUFeatureStatus(). */
export function chromiumGpuReport(
  featureStatus: Record<string, string>,
  adapter: string | null,
): GpuAdapterReport {
  // 'enabled' and 'enabled_force' are hardware; anything with 'software' is SwiftShader and the like.
  const hardware = (feature: 'webgpu' | 'webgl2') => {
    const status = featureStatus[feature] ?? 'unknown'
    return status.startsWith('enabled') && !status.includes('software')
  }
  const reason = (feature: 'webgpu' | 'webgl2') => {
    const status = featureStatus[feature] ?? 'unknown'
    if (hardware(feature))
      return `Chromium reports a hardware adapter${adapter ? ` (${adapter})` : ''} with ${feature} ${status}; the GPU training window tries it first`
    return `no hardware adapter (Chromium: ${feature} ${status}); a software adapter is never used for speed`
  }
  return {
    webgpu: reason('webgpu'),
    webgl: reason('webgl2'),
    hardware: hardware('webgpu') || hardware('webgl2'),
  }
}

/** What the CPU worker records after the GPU training window could not train: that window's own reasons. */
export function windowGpuReport(reasons: { webgpu?: string; webgl?: string }): GpuAdapterReport {
  return {
    webgpu: `the GPU training window could not use it: ${reasons.webgpu ?? 'no reason given'}`,
    webgl: `the GPU training window could not use it: ${reasons.webgl ?? 'no reason given'}`,
    hardware: false,
  }
}
