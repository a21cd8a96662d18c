// How many CPU threads training may use: one place for the default and the limits, read by the CLI flag,
// the app's setting and the training worker. No tfjs here, so the app's main process can read it cheaply.
import os from 'node:os'

/** tfjs-backend-wasm's own ceiling (max_num_threads in its backend.cc; 8 workers are created up front). */
export const maxWasmThreads = 8

/** The most a user can choose here: every core, up to the ceiling. */
export function maxThreadCount(cores = os.cpus().length): number {
  return Math.max(1, Math.min(maxWasmThreads, cores))
}

/** Default: every core but one, so the app (and the machine) stays responsive; at least 1. */
export function defaultThreadCount(cores = os.cpus().length): number {
  return Math.max(1, Math.min(maxWasmThreads, cores - 1))
}

/** Parses a thread count from a flag, a setting or the environment: a whole number from 1 to 8, named in errors. */
export function parseThreadCount(value: string | number, source: string): number {
  const n = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isInteger(n) || n < 1 || n > maxWasmThreads) {
    throw new Error(
      `${source}: thread count must be a whole number from 1 to ${maxWasmThreads}, got '${value}'`,
    )
  }
  return n
}
