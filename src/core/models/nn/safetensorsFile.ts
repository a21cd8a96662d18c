import fs from 'node:fs'
import { atomicWriteFile } from '../../store/atomicWrite'
import { encodeSafetensors, parseSafetensors, type Float32Tensor, type SafetensorsFile } from './safetensors'

// Safetensors on disk: apart from the format (safetensors.ts), so a trainer in a browser page parses
// weights handed to it without bundling fs.

export function readSafetensorsFile(file: string): SafetensorsFile {
  let bytes: Uint8Array
  try {
    bytes = fs.readFileSync(file)
  } catch (e) {
    throw new Error(`cannot read weights file ${file}: ${(e as Error).message}`)
  }
  return parseSafetensors(bytes, file)
}

export function writeSafetensorsFile(
  file: string,
  tensors: Map<string, Float32Tensor>,
  metadata: Record<string, string> = {},
): void {
  atomicWriteFile(file, encodeSafetensors(tensors, metadata))
}
