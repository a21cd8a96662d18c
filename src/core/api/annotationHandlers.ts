import sharp, { type Metadata } from 'sharp'
import type { MaskState } from '../../shared/api'
import { largestMaskValue } from '../store/maskClasses'
import { assertMaskEditable } from '../store/evaluationMasks'
import { getImage, listImages } from '../store/images'
import { setImageLabels } from '../store/labels'
import { commitMaskRevision, maskHead, maskHistoryDepth, redoMask, undoMask } from '../store/masks'
import type { Project } from '../store/project'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

function maskState(project: Project, imageId: number): MaskState {
  return { head: maskHead(project, imageId), ...maskHistoryDepth(project, imageId) }
}

/** A mask must be a single-channel PNG the size of its image, holding class indices the project knows. */
async function checkMaskPng(project: Project, imageId: number, png: Buffer): Promise<void> {
  const img = getImage(project, imageId)
  let meta: Metadata
  try {
    meta = await sharp(png).metadata()
  } catch {
    throw new Error(`The mask for image ${imageId} is not a readable PNG`)
  }
  if (meta.format !== 'png')
    throw new Error(`The mask for image ${imageId} must be a PNG, got ${meta.format}`)
  if (meta.width !== img.width || meta.height !== img.height) {
    throw new Error(
      `The mask for image ${imageId} is ${meta.width}×${meta.height} but the image is ${img.width}×${img.height}`,
    )
  }
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  const maxIndex = largestMaskValue(project)
  for (let i = 0; i < data.length; i += info.channels) {
    if (data[i] > maxIndex) {
      throw new Error(
        maxIndex === 0
          ? `The mask for image ${imageId} holds value ${data[i]}, but this project has no mask classes yet: add one first`
          : `The mask for image ${imageId} holds value ${data[i]}; mask classes go from 0 (background) to ${maxIndex}`,
      )
    }
  }
}

export function annotationHandlers(
  session: Session,
): HandlerGroup<
  'images.list' | 'image.get' | 'labels.set' | 'mask.get' | 'mask.commit' | 'mask.undo' | 'mask.redo'
> {
  const changed = (change: 'labels' | 'mask', imageId: number) =>
    session.emit({ type: 'project', change, imageId })
  return {
    'images.list': async () => listImages(session.requireProject()),
    'image.get': async ({ id }) => getImage(session.requireProject(), id),
    'labels.set': async ({ imageId, classIds }) => {
      const p = session.requireProject()
      setImageLabels(p, imageId, classIds)
      changed('labels', imageId)
      return getImage(p, imageId)
    },
    'mask.get': async ({ imageId }) => {
      const p = session.requireProject()
      getImage(p, imageId)
      return maskState(p, imageId)
    },
    'mask.commit': async ({ imageId, png, kind }) => {
      const p = session.requireProject()
      assertMaskEditable(p, imageId)
      const bytes = Buffer.from(png, 'base64')
      await checkMaskPng(p, imageId, bytes)
      const blob = p.blobs.put(bytes)
      commitMaskRevision(p, imageId, blob, kind)
      changed('mask', imageId)
      return maskState(p, imageId)
    },
    'mask.undo': async ({ imageId, pastFirst }) => {
      const p = session.requireProject()
      assertMaskEditable(p, imageId)
      undoMask(p, imageId, { pastFirst })
      changed('mask', imageId)
      return maskState(p, imageId)
    },
    'mask.redo': async ({ imageId }) => {
      const p = session.requireProject()
      assertMaskEditable(p, imageId)
      redoMask(p, imageId)
      changed('mask', imageId)
      return maskState(p, imageId)
    },
  }
}
