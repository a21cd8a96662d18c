import { removeUnreferencedBlobs } from '../store/blobGarbage'
import { BlobStore } from '../store/blobStore'
import { listClasses } from '../store/classes'
import { countImages } from '../store/images'
import { getMeta, type Project } from '../store/project'
import type { TileScale } from '../slide/tileScale'
import { ImportCancelled, ImportError, type ImportProblem } from './importError'
import { maskClassMapping } from './importMaskClasses'
import type { ImportPlan } from './importPlan'
import { writeImportRows, type ImportSummary } from './importRows'
import { prepareImage, type PreparedImage } from './preparedImage'
import { TILE_SIZE } from './tileImage'

export type { ImportSummary }

export interface ImportOptions {
  onProgress?(done: number, total: number, file: string): void
  signal?: AbortSignal
  tileSize?: number
  /** Whole slides: cut tiles at this magnification or tile width in microns instead of the scan's pixels. */
  tileScale?: TileScale
  /** Images prepared at once (decoding and PNG encoding run on libvips threads). */
  concurrency?: number
}

/**
 * Carries out an import plan: validates and preprocesses every image first (writing content-addressed
 * blobs as it goes; preparedImage.ts), then writes all rows in one transaction (importRows.ts). Any
 * problem, or a cancel, removes the blobs this import created and leaves the project exactly as it was.
 */
export async function runImport(
  project: Project,
  plan: ImportPlan,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const created = new Set<string>()
  const problems: ImportProblem[] = [...plan.problems]
  const signal = options.signal
  try {
    if (problems.length > 0) throw new ImportError(problems)
    const masks = maskClassMapping(project, plan)
    const projectIsEmpty = listClasses(project).length === 0 && countImages(project) === 0
    const ctx = {
      project,
      preprocess: plan.preprocess,
      tileSize: options.tileSize ?? TILE_SIZE,
      tileScale: options.tileScale,
      labelMode: projectIsEmpty ? plan.labelMode : (getMeta(project, 'labelMode') ?? 'multi-class'),
      masks,
      signal,
      putBlob: (data: Uint8Array): string => {
        const hash = BlobStore.hash(data)
        if (!project.blobs.has(hash)) created.add(hash)
        return project.blobs.put(data)
      },
      created,
      seen: new Map<string, string>(),
    }

    // Kept per item so the report lists problems in file order, whatever order the workers finish in.
    const prepared: (PreparedImage | ImportProblem | null)[] = new Array(plan.items.length).fill(null)
    let next = 0
    let done = 0
    const worker = async () => {
      while (next < plan.items.length) {
        if (signal?.aborted) return
        const i = next++
        const item = plan.items[i]
        prepared[i] = await prepareImage(ctx, item)
        done++
        options.onProgress?.(done, plan.items.length, item.name)
      }
    }
    const workers = Math.max(1, Math.min(options.concurrency ?? 2, plan.items.length))
    // Every worker settles before anything is cleaned up, so none writes a blob after the cleanup.
    const settled = await Promise.allSettled(Array.from({ length: workers }, worker))
    if (signal?.aborted) throw new ImportCancelled()
    for (const r of settled) if (r.status === 'rejected') throw r.reason
    problems.push(...prepared.filter((p): p is ImportProblem => p !== null && 'problem' in p))
    if (problems.length > 0) throw new ImportError(problems)
    return writeImportRows(project, plan, prepared as PreparedImage[], masks, projectIsEmpty)
  } catch (e) {
    removeUnreferencedBlobs(project, created)
    throw e
  }
}
