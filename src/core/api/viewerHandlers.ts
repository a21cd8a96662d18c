import type { MaskState } from '../../shared/api'
import { getImage } from '../store/images'
import { largestMaskValue } from '../store/maskClasses'
import { commitMaskRevision, maskHead, maskHistoryDepth, undoMask } from '../store/masks'
import { imagePredictions, predictionBlob, predictionProbabilityBlob } from '../store/predictions'
import type { Project } from '../store/project'
import { imagePyramid, pyramidTiles } from '../viewer/imagePyramid'
import { acceptPrediction, comparePrediction, differenceRegion } from '../viewer/predictionReview'
import { assertMaskEditable } from '../store/evaluationMasks'
import { putPatchedMask } from '../data/patchedMask'
import { openStoredMask, type StoredMask } from '../data/tiledMask'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

function maskState(project: Project, imageId: number): MaskState {
  return { head: maskHead(project, imageId), ...maskHistoryDepth(project, imageId) }
}

/** Reads tiles of a mask-like raster (class indices, a difference, probabilities) as base64, null when all 0. */
function readTiles(
  img: { id: number; width: number; height: number },
  raster: Pick<StoredMask, 'region'> | null,
  tileSize: number,
  tiles: [number, number][],
): Promise<(string | null)[]> {
  return Promise.all(
    tiles.map(async ([tx, ty]) => {
      const x = tx * tileSize
      const y = ty * tileSize
      if (x >= img.width || y >= img.height)
        throw new Error(`Mask tile ${tx},${ty} is outside image ${img.id}`)
      if (!raster) return null
      const r = await raster.region(
        x,
        y,
        Math.min(tileSize, img.width - x),
        Math.min(tileSize, img.height - y),
      )
      return r && Buffer.from(r.buffer, r.byteOffset, r.length).toString('base64')
    }),
  )
}

function decodeBase64(data: string, where: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new Error(`${where}: data is not base64`)
  const b = Buffer.from(data, 'base64')
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}

export function viewerHandlers(
  session: Session,
): HandlerGroup<
  | 'viewer.pyramid'
  | 'viewer.tiles'
  | 'viewer.maskTiles'
  | 'viewer.maskPatch'
  | 'viewer.predictions'
  | 'viewer.probabilityTiles'
  | 'viewer.comparePrediction'
  | 'viewer.acceptPrediction'
> {
  // Saves of one image run one after another: each applies its patches to the head the previous one left.
  const queues = new Map<number, Promise<unknown>>()
  const serially = <T>(imageId: number, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(imageId) ?? Promise.resolve()).then(work, work)
    const tail = next.catch(() => undefined)
    queues.set(imageId, tail)
    void tail.then(() => queues.get(imageId) === tail && queues.delete(imageId))
    return next
  }
  const changed = (change: 'labels' | 'mask', imageId?: number, head?: number) =>
    session.emit({ type: 'project', change, imageId, head })

  return {
    'viewer.pyramid': async ({ imageId }) => imagePyramid(session.requireProject(), imageId),
    'viewer.tiles': async ({ imageId, level, tiles }) => ({
      blobs: await pyramidTiles(session.requireProject(), imageId, level, tiles),
    }),
    'viewer.maskTiles': async ({
      imageId,
      tileSize,
      tiles,
      runId,
      differenceRunId,
      differenceMode,
      differenceThreshold,
    }) => {
      const p = session.requireProject()
      const img = getImage(p, imageId)
      const head = runId === undefined ? maskHead(p, imageId) : null
      const blob = runId === undefined ? head?.blob : predictionBlob(p, runId, imageId)
      const stored = blob ? await openStoredMask(p, blob) : null
      // The difference view reads like a mask whose values say what accepting the prediction, in the mode the
      // confirmation has chosen, would do.
      const mask =
        differenceRunId === undefined
          ? stored
          : {
              region: (x: number, y: number, w: number, h: number) =>
                differenceRegion(p, imageId, differenceRunId, x, y, w, h, {
                  mode: differenceMode ?? 'replace',
                  threshold: differenceThreshold,
                }),
            }
      return { revisionId: head?.id ?? null, tiles: await readTiles(img, mask, tileSize, tiles) }
    },
    'viewer.probabilityTiles': async ({ imageId, runId, classValue, tileSize, tiles }) => {
      const p = session.requireProject()
      const img = getImage(p, imageId)
      const map = await openStoredMask(p, predictionProbabilityBlob(p, runId, imageId, classValue))
      return { tiles: await readTiles(img, map, tileSize, tiles) }
    },
    'viewer.maskPatch': ({ imageId, patches, amend }) =>
      serially(imageId, async () => {
        const p = session.requireProject()
        const img = getImage(p, imageId)
        assertMaskEditable(p, imageId)
        const head = maskHead(p, imageId)
        const decoded = patches.map((q, i) => ({ ...q, data: decodeBase64(q.data, `patch ${i}`) }))
        const maxClass = largestMaskValue(p)
        const blob = await putPatchedMask(p, img, head?.blob ?? null, decoded, maxClass)
        p.db
          .transaction(() => {
            // Amending replaces the stroke's own revision, so it may be the first one.
            if (amend !== null && head?.id === amend && maskHead(p, imageId)?.id === amend)
              undoMask(p, imageId, { pastFirst: true })
            commitMaskRevision(p, imageId, blob, 'edit')
          })
          .immediate()
        const state = maskState(p, imageId)
        changed('mask', imageId, state.head?.id)
        return state
      }),
    'viewer.predictions': async ({ imageId }) => {
      const p = session.requireProject()
      getImage(p, imageId)
      return imagePredictions(p, imageId)
    },
    'viewer.comparePrediction': ({ imageId, runId, mode, threshold }) =>
      serially(imageId, () =>
        comparePrediction(session.requireProject(), imageId, runId, { mode: mode ?? 'replace', threshold }),
      ),
    'viewer.acceptPrediction': ({ imageId, runId, mode, threshold, evaluationConfirmed }) =>
      serially(imageId, async () => {
        const p = session.requireProject()
        await acceptPrediction(p, imageId, runId, {
          mode: mode ?? 'replace',
          threshold,
          evaluationConfirmed: evaluationConfirmed ?? false,
        })
        changed('mask', imageId)
        return maskState(p, imageId)
      }),
  }
}
