// The WebGPU and WebGL2 steps of the backend chain. Both run in Chromium, never in Node: the desktop app's main
// process reads what Chromium reports (hardware or software adapter) and passes it to the training worker,
// which records it with the rest of the chain. No tfjs here.

/** Why WebGPU and WebGL2 were not used for this run, as the chain reports each skipped backend. */
export interface GpuAdapterReport {
  webgpu: string
  webgl: string
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
  const reason = (feature: 'webgpu' | 'webgl2') => {
    const status = featureStatus[feature] ?? 'unknown'
    // 'enabled' and 'enabled_force' are hardware; anything with 'software' is SwiftShader and the like.
    if (status.startsWith('enabled') && !status.includes('software')) {
      return `Chromium reports a hardware adapter${adapter ? ` (${adapter})` : ''} with ${feature} ${status}, but training in a GPU window is not in this version`
    }
    return `no hardware adapter (Chromium: ${feature} ${status}); a software adapter is never used for speed`
  }
  return { webgpu: reason('webgpu'), webgl: reason('webgl2') }
}
