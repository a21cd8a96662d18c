// Prepares the WebAssembly backend: where its .wasm binaries live (offline, from node_modules in development,
// from the packaged app's resources later) and the training kernels it lacks.
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { resolvePackage } from './packageResolve'
import { registerWasmTrainingKernels } from './wasmKernels/registerWasmTrainingKernels'
import { startWasmWithThreads, wasmStarted, wasmThreadCount } from './wasmThreads'

const wasmFile = 'tfjs-backend-wasm.wasm'

/** The folder of tfjs-backend-wasm's binaries inside node_modules. */
export function defaultWasmDir(): string {
  return path.dirname(resolvePackage('@tensorflow/tfjs-backend-wasm'))
}

/** `S4MI_WASM_DIR` (e.g. set by the packaged app to its resources folder) wins over the default. */
export function wasmDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.S4MI_WASM_DIR && env.S4MI_WASM_DIR.length > 0 ? env.S4MI_WASM_DIR : undefined
}

let preparedDir: string | null = null

/**
 * Points tfjs at the local wasm binaries and registers our training kernels. Must run before the wasm backend
 * first initialises; later calls with another folder are an error because tfjs cannot reload the binary.
 */
export function prepareWasmBackend(wasmDir = wasmDirFromEnv() ?? defaultWasmDir()): string {
  const dir = path.resolve(wasmDir)
  if (!fs.existsSync(path.join(dir, wasmFile))) {
    throw new Error(`wasm backend: ${wasmFile} not found in ${dir} (set S4MI_WASM_DIR or the wasmDir option)`)
  }
  if (preparedDir != null && preparedDir !== dir) {
    throw new Error(`wasm backend already prepared from ${preparedDir}; cannot switch to ${dir}`)
  }
  if (preparedDir == null) setWasmPaths(dir + path.sep)
  preparedDir = dir
  registerWasmTrainingKernels()
  return dir
}

/**
 * Switches tfjs to wasm with our kernels; for tests and benchmarks that need the wasm backend directly.
 * `threads` > 1 starts the multi-threaded build (only the first start of a process chooses the count).
 * Returns the number of threads the backend really has.
 */
export async function useWasmBackend(wasmDir?: string, threads = 1): Promise<number> {
  const dir = prepareWasmBackend(wasmDir)
  const count = wasmStarted() ? wasmThreadCount() : await startWasmWithThreads(threads, dir)
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise')
  registerWasmTrainingKernels()
  return count
}
