// The multi-threaded WebAssembly build under Node. tfjs-backend-wasm ships it
// (tfjs-backend-wasm-threaded-simd.wasm: XNNPACK on a pthreadpool) but turns it off under Node (its flag
// WASM_HAS_MULTITHREAD_SUPPORT returns false when IS_NODE, tfjs issue #3830) because its Emscripten glue
// hands each pthread worker a blob: URL, which Node's worker_threads cannot load. Three things make it work:
//  1. Each pthread worker is a worker_threads Worker evaluating the glue's worker script as source
//     (`eval: true`) instead of a blob: URL; its 'load' message is given the path of the threaded glue
//     (wasm-out/tfjs-backend-wasm-threaded-simd.js) instead of a Blob, which the worker then reads.
//     The workers are unref'd, so an idle pool never keeps a process alive.
//  2. tfjs caps the pool at half the logical cores (it assumes two hyper-threads per core), so on a
//     2-core machine it would always give 1 thread. While the module initialises we report 2 × threads
//     cores, so the pool has exactly the number of threads asked for (its own cap of 8 still applies).
//  3. setThreadsCount(threads) before the backend starts.
// One process, one pool: the count cannot change after the wasm backend has started.
import * as fs from 'node:fs'
// The module object itself (not a namespace copy): its cpus() is what the Emscripten glue calls.
import os from 'node:os'
import * as path from 'node:path'
import { createRequire } from 'node:module'
import { Worker as NodeWorker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { resolvePackage } from './packageResolve'

const glueName = 'tfjs-backend-wasm-threaded-simd.js'
const workerName = 'tfjs-backend-wasm-threaded-simd.worker.js'

/** The threaded build's glue scripts: beside the binaries (a packaged app), else in the npm package. */
function threadedGlue(wasmDir: string): { glue: string; workerSource: string } {
  const candidates = [wasmDir, path.join(wasmDir, '..', 'wasm-out')]
  try {
    candidates.push(
      path.join(path.dirname(resolvePackage('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out'),
    )
  } catch {
    // not installed as a package (bundled app): only the folders above
  }
  for (const dir of candidates) {
    const glue = path.join(dir, glueName)
    const worker = path.join(dir, workerName)
    if (fs.existsSync(glue) && fs.existsSync(worker)) {
      const load = createRequire(worker)
      const { wasmWorkerContents } = load(worker) as { wasmWorkerContents: string }
      return { glue, workerSource: wasmWorkerContents }
    }
  }
  throw new Error(`${glueName} and ${workerName} not found in ${candidates.join(' or ')}`)
}

let installed: { glue: string; workerSource: string } | null = null

function installPthreadWorker(glue: { glue: string; workerSource: string }): void {
  if (installed) return
  installed = glue
  // The worker script is one line of JS with '\n' inside string literals; tfjs escapes them the same way
  // before making its Blob.
  const source = glue.workerSource.replace(/\n/g, '\\n')
  class PthreadWorker extends NodeWorker {
    constructor() {
      // No loaders (tsx) or flags of the parent: the worker runs only the glue.
      super(source, { eval: true, execArgv: [] })
      this.unref()
    }
    // Emscripten refs a worker while it runs a thread; our pool threads never end, so never hold the process.
    override ref(): void {}
    override postMessage(message: unknown, transfer?: Parameters<NodeWorker['postMessage']>[1]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null
      const fixed = m?.cmd === 'load' && typeof m.urlOrBlob !== 'string' ? { ...m, urlOrBlob: glue.glue } : m
      super.postMessage(fixed, transfer)
    }
  }
  // The glue assigns worker_threads' Worker to the global and constructs `new Worker(url)`; ours stays.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {},
  })
}

/**
 * Starts the wasm backend with `threads` XNNPACK threads (1 = the single-threaded SIMD build, as before).
 * Throws with the reason when the threaded build cannot be used; the caller falls back to 1 thread.
 */
export async function startWasmWithThreads(threads: number, wasmDir: string): Promise<number> {
  if (threads > 1) {
    installPthreadWorker(threadedGlue(wasmDir))
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
    setThreadsCount(threads)
  } else {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  }
  const cpus = os.cpus
  const reported = cpus()
  // See 2. above: read once by the module's static initialisers during setBackend.
  if (threads > 1) {
    os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => reported[i % Math.max(1, reported.length)])
  }
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start')
  } finally {
    os.cpus = cpus
  }
  return wasmThreadCount()
}

/** Whether this process's wasm backend has started (its thread count is then fixed). Does not start it. */
export function wasmStarted(): boolean {
  return tf.engine().registry.wasm != null
}

/** The XNNPACK pool size of the running wasm backend (1 for the single-threaded build). */
export function wasmThreadCount(): number {
  const backend = tf.engine().registry.wasm as unknown as
    { wasm?: { tfjs?: { getThreadsCount(): number } } } | undefined
  const count = backend?.wasm?.tfjs?.getThreadsCount()
  return count != null && count > 0 ? count : 1
}
