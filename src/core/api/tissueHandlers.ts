import { slideTilesInUse, storedTissueMask } from '../data/slideTissue'
import { getImage } from '../store/images'
import { slideInfo } from '../store/slideInfo'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** Tissue in the mask's colour (Okabe–Ito bluish green, half transparent); glass clear. */
const TISSUE_RGBA = [0, 158, 115, 128]

export function tissueHandlers(session: Session): HandlerGroup<'viewer.tissue'> {
  return {
    'viewer.tissue': async ({ imageId }) => {
      const project = session.requireProject()
      const image = getImage(project, imageId)
      const mask = storedTissueMask(project, imageId)
      const record = slideInfo(project, imageId)?.tissue
      if (!mask || !record) return null
      const rgba = new Uint8Array(mask.width * mask.height * 4)
      mask.data.forEach((v, i) => v && rgba.set(TISSUE_RGBA, 4 * i))
      const { tiles, skipped } = slideTilesInUse(project, image)
      return {
        width: mask.width,
        height: mask.height,
        layer: Buffer.from(rgba).toString('base64'),
        threshold: record.threshold,
        tilesUsed: tiles.length,
        tilesSkipped: skipped,
      }
    },
  }
}
