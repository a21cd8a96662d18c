/**
 * What a run's host knows of the machine and a trainer in a browser page cannot ask for itself (the GPU
 * window has no `os` and no environment): what a training step's memory plan is limited by.
 */
export interface Machine {
  /** RAM in bytes: the limit on the CPU backends (the wasm heap's own cap aside). */
  totalMemoryBytes: number
  /** The GPU's memory in bytes, when the user said (S4MI_GPU_MEMORY_GB): WebGPU and WebGL cannot tell. */
  gpuMemoryBytes?: number
}

/** S4MI_GPU_MEMORY_GB, read by the run's host: the GPU's memory in bytes, or undefined when not set. */
export function gpuMemoryFromEnvironment(env: Record<string, string | undefined>): number | undefined {
  const given = env.S4MI_GPU_MEMORY_GB
  if (given == null || given === '') return undefined
  const gb = Number(given)
  if (!(gb > 0) || !Number.isFinite(gb))
    throw new Error(`S4MI_GPU_MEMORY_GB must be the GPU's memory in GB (a number above 0), got '${given}'`)
  return gb * 2 ** 30
}
