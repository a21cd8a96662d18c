// How many training runs a machine takes side by side: each run is one worker process with its own backend,
// so runs add up in CPU threads and in memory. No tfjs here: the app's main process decides this cheaply.
import os from 'node:os'
import { wasmHeapLimitBytes } from './memoryEstimate'

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** What a worker process holds besides the wasm heap: Node's own heap, decoded batches, the prefetch queue. */
export const processOverheadBytes = 768 * MiB
/** Over a measured peak: the next run of the same configuration draws other batches and other tiles. */
const measuredMargin = 1.25
/** Left to the operating system, the app and its windows. */
export const reservedBytes = 2 * GiB

/**
 * The most memory one run of a configuration is expected to take, stated before it starts: the largest peak
 * its earlier runs measured (resident set of the worker process) with a margin; without one, the wasm
 * backend's hard ceiling (a 4 GiB heap: the step planner splits batches into micro-batches to stay under it)
 * plus the process; on any other backend nothing bounds it, so it runs alone (Infinity).
 */
export function runMemoryBound(tfjsBackend: string | null, measuredPeaks: readonly number[]): number {
  const peaks = measuredPeaks.filter((p) => Number.isFinite(p) && p > 0)
  if (peaks.length) return Math.ceil(Math.max(...peaks) * measuredMargin)
  if (tfjsBackend === 'wasm') return wasmHeapLimitBytes + processOverheadBytes
  return Infinity
}

/**
 * What training runs may take together: every core but one (each run takes its thread setting), and the
 * machine's memory less what the system and the app keep.
 */
export function trainingCapacity(
  cores = os.cpus().length,
  totalMemory = os.totalmem(),
): { threads: number; bytes: number } {
  return { threads: Math.max(1, cores - 1), bytes: Math.max(0, totalMemory - reservedBytes) }
}
