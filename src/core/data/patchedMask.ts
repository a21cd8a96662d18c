import type { Project } from '../store/project'
import { revisionsTiled } from '../store/maskManifest'
import { applyMaskPatches, checkMaskPatches, loadMaskBlob, putMask, type MaskPatchInput } from './maskRaster'
import { TiledMaskWriter } from './tiledMask'

/**
 * Stores the mask `base` (a blob, or null for a blank mask) with `patches` written over it and returns the
 * new blob: tile by tile, only the tiles the patches touch, where the image's revisions are tiled; as one
 * raster otherwise. Throws, naming the patch, when one reaches outside the image or holds an unknown class.
 */
export async function putPatchedMask(
  project: Project,
  size: { width: number; height: number },
  base: string | null,
  patches: readonly MaskPatchInput[],
  maxClass: number,
): Promise<string> {
  if (revisionsTiled(size)) {
    checkMaskPatches(size, patches, maxClass)
    const writer = await TiledMaskWriter.from(project, base, size)
    for (const q of patches) await writer.write(q)
    return writer.finish()
  }
  const raster = base ? await loadMaskBlob(project, base) : null
  return putMask(project, applyMaskPatches(raster, size, patches, maxClass))
}
