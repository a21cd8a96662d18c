// Reads libtensorflow's start-up log to tell whether tfjs-node-gpu really got a GPU. Its libtensorflow 2.9 is
// built for CUDA 11.2 + cuDNN 8; with CUDA 12 it cannot load libcudart.so.11.0 / libcudnn.so.8, logs a
// warning, and silently runs every op on the CPU (tensorflow/tfjs#8269, #8362).

export interface GpuLogDiagnosis {
  /** A GPU device was created ("Created device .../device:GPU:0"). */
  gpuDevice: string | null
  /** CUDA/cuDNN libraries libtensorflow tried and failed to load. */
  missingLibraries: string[]
  skippedGpu: boolean
}

export function diagnoseTensorflowGpuLog(log: string): GpuLogDiagnosis {
  const missing = new Set<string>()
  for (const match of log.matchAll(/Could not load dynamic library '([^']+)'/g)) missing.add(match[1])
  const device = /Created device \S*device:GPU:(\d+)[^\n]*?name: ([^,\n]+)/.exec(log)
  return {
    gpuDevice: device ? `GPU:${device[1]} (${device[2].trim()})` : null,
    missingLibraries: [...missing],
    skippedGpu: /Skipping registering GPU devices/.test(log),
  }
}

/** The warning to show when tfjs-node-gpu is loaded but runs on the CPU, or null if it has its GPU. */
export function gpuFallbackWarning(diagnosis: GpuLogDiagnosis): string | null {
  if (diagnosis.gpuDevice != null) return null
  const cuda11 = diagnosis.missingLibraries.some((lib) =>
    /libcudart\.so\.11|libcudnn\.so\.8|cudart64_110/.test(lib),
  )
  const libs =
    diagnosis.missingLibraries.length > 0 ? ` (missing: ${diagnosis.missingLibraries.join(', ')})` : ''
  return cuda11
    ? `tfjs-node-gpu is running on the CPU: it needs CUDA 11.2 and cuDNN 8, which are not installed${libs}. ` +
        'With CUDA 12 it silently falls back to the CPU (tfjs #8269): install CUDA 11.2 + cuDNN 8 side by side.'
    : `tfjs-node-gpu is running on the CPU: libtensorflow registered no GPU device${libs}.`
}
