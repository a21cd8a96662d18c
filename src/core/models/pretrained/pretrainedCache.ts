import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { atomicWriteFile } from '../../store/atomicWrite'
import { listFolder, NOT_UTF8_NAME } from '../../store/folderEntries'
import { readRegularFile } from '../../store/regularFile'
import { parseSafetensors } from '../nn/safetensors'
import type { SafetensorsFile } from '../nn/safetensors'
import { identifyArchitecture } from './pretrainedArchitectures'
import type { PretrainedArchitecture } from './pretrainedArchitectures'

/**
 * The largest weights file the app imports. ViT-B/16's ImageNet safetensors is about 350 MB and
 * ResNet-50's about 100 MB; 2 GiB leaves room for larger backbones while refusing /dev/zero-sized reads
 * (issue #19 item 3: a whole-file read of /dev/zero took the server to 4.5 GB).
 */
export const MAX_WEIGHTS_BYTES = 2 * 1024 ** 3

/**
 * ImageNet weights the user brings (a file or a folder of `.safetensors` files) are recognised,
 * copied into the app's data folder under their content hash and listed in `index.json`. Nothing is
 * downloaded: training reads weights from this cache only.
 */

export interface CachedWeights {
  architecture: PretrainedArchitecture['id']
  /** File name inside the cache folder. */
  file: string
  sha256: string
  bytes: number
  importedFrom: string
  importedAt: string
}

export interface ImportResult {
  imported: CachedWeights[]
  /** Files that were not imported, each with a reason that names the file. */
  rejected: { path: string; reason: string }[]
}

const INDEX = 'index.json'

export function listCachedWeights(cacheDir: string): CachedWeights[] {
  const indexFile = path.join(cacheDir, INDEX)
  if (!fs.existsSync(indexFile)) return []
  try {
    const entries = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as CachedWeights[]
    return entries.filter((e) => fs.existsSync(path.join(cacheDir, e.file)))
  } catch (e) {
    throw new Error(`${indexFile}: unreadable weights index (${(e as Error).message})`)
  }
}

/** The most recently imported weights for an architecture, as an absolute path, or null. */
export function cachedWeightsPath(
  cacheDir: string,
  architecture: PretrainedArchitecture['id'],
): string | null {
  const entries = listCachedWeights(cacheDir).filter((e) => e.architecture === architecture)
  if (!entries.length) return null
  entries.sort((a, b) => a.importedAt.localeCompare(b.importedAt))
  return path.join(cacheDir, entries[entries.length - 1].file)
}

/** Import files and the `.safetensors` files directly inside folders. */
export function importPretrainedWeights(sources: string[], cacheDir: string, now = new Date()): ImportResult {
  const files: string[] = []
  const rejected: ImportResult['rejected'] = []
  for (const source of sources) {
    if (!fs.existsSync(source)) {
      rejected.push({ path: source, reason: `${source}: no such file or folder` })
    } else if (fs.statSync(source).isDirectory()) {
      const entries = listFolder(source).filter((e) => e.name.endsWith('.safetensors'))
      for (const e of entries.filter((e) => e.badName))
        rejected.push({ path: path.join(source, e.name), reason: `${e.name}: ${NOT_UTF8_NAME}` })
      const found = entries.filter((e) => !e.badName).map((e) => path.join(source, e.name))
      if (!entries.length)
        rejected.push({ path: source, reason: `${source}: the folder holds no .safetensors files` })
      files.push(...found.sort())
    } else {
      files.push(source)
    }
  }
  const index = listCachedWeights(cacheDir)
  const imported: CachedWeights[] = []
  for (const file of files) {
    let bytes: Buffer
    let parsed: SafetensorsFile
    try {
      bytes = readRegularFile(file, MAX_WEIGHTS_BYTES, 'weights file')
      parsed = parseSafetensors(bytes, file)
    } catch (e) {
      rejected.push({ path: file, reason: (e as Error).message })
      continue
    }
    const { match, closest } = identifyArchitecture(parsed)
    if (!match) {
      const problems = [...closest.missing.slice(0, 5), ...closest.misshaped.slice(0, 5)].join(', ')
      rejected.push({
        path: file,
        reason:
          `${file}: not a supported ImageNet backbone (ResNet-18/34/50, ViT-B/16, Swin-T). Closest: ` +
          `${closest.architecture.label}, ${(closest.coverage * 100).toFixed(0)}% of its tensors` +
          (problems ? `; missing or mis-shaped: ${problems}` : ''),
      })
      continue
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const id = match.architecture.id
    const name = `${id}-${sha256.slice(0, 16)}.safetensors`
    const existing = index.find((e) => e.sha256 === sha256)
    if (existing) {
      imported.push(existing)
      continue
    }
    atomicWriteFile(path.join(cacheDir, name), bytes)
    const entry: CachedWeights = {
      architecture: id,
      file: name,
      sha256,
      bytes: bytes.length,
      importedFrom: path.resolve(file),
      importedAt: now.toISOString(),
    }
    index.push(entry)
    imported.push(entry)
  }
  if (imported.length) atomicWriteFile(path.join(cacheDir, INDEX), JSON.stringify(index, null, 2))
  return { imported, rejected }
}
