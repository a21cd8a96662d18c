// The parts of the WebAssembly JavaScript API our kernels use, typed. The Node typings the core compiles with
// (no DOM library) declare only a little of it; the API itself is there in Node, workers and browsers alike.

export interface WasmMemory {
  readonly buffer: ArrayBufferLike
}

/** A compiled module: opaque, instantiated on a memory, passed to worker threads as it is. */
export type WasmModule = object

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { exports: object }
  validate(bytes: Uint8Array): boolean
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
