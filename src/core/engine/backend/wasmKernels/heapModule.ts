// Our emitted WebAssembly modules (gemmWasm.ts, adamUpdateWasm.ts) run on the wasm backend's own heap: each is
// compiled once per heap, importing it as its memory, and instantiated on the calling thread (helper threads
// instantiate the same compiled module on the same shared memory, heapThreads.ts).
import type { HeapExports, HeapModule } from '../heapThreads'
import { webAssembly, type WasmMemory } from '../webAssemblyApi'
import type { BackendWasm } from './wasmKernelCall'

interface HeapOwner {
  wasm: { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } }
}

/** The heap as a WebAssembly.Memory: the threaded build exports it as wasmMemory, the other as asm.memory. */
function heapMemory(backend: BackendWasm): WasmMemory | null {
  const wasm = (backend as unknown as Partial<HeapOwner>).wasm
  return wasm?.wasmMemory ?? wasm?.asm?.memory ?? null
}

const compiled = new Map<(shared: boolean) => Uint8Array, { memory: WasmMemory; wasm: HeapModule }>()

/**
 * The module `bytesFor` emits, on this backend's heap (`shared` when the heap is the threaded build's
 * shared memory), compiled once per heap; null when the heap is not reachable.
 */
export function heapModule(
  backend: BackendWasm,
  bytesFor: (shared: boolean) => Uint8Array,
): HeapModule | null {
  const memory = heapMemory(backend)
  if (memory == null) return null
  const known = compiled.get(bytesFor)
  if (known?.memory === memory) return known.wasm
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer
  const module = new webAssembly.Module(bytesFor(shared))
  const exports = new webAssembly.Instance(module, { env: { memory } }).exports as HeapExports
  const wasm = { module, exports }
  compiled.set(bytesFor, { memory, wasm })
  return wasm
}
