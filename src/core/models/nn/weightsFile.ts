import type { Module } from './module'
import { readSafetensorsFile, writeSafetensorsFile } from './safetensorsFile'
import { exportStateDict, loadStateDict, type LoadOptions, type LoadReport } from './weights'

// A module's weights to and from a file: apart from the state-dict matching (weights.ts), so a trainer
// in a browser page loads weights handed to it without bundling fs.

/** Save our own weights as safetensors (torch names and layout; loadable with safetensors.torch.load_file). */
export function saveWeights(module: Module, file: string, metadata: Record<string, string> = {}): void {
  writeSafetensorsFile(file, exportStateDict(module), metadata)
}

export function loadWeights(module: Module, file: string, options: LoadOptions = {}): LoadReport {
  return loadStateDict(module, readSafetensorsFile(file), options)
}
