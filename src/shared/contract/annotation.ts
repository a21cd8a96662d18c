import { z } from 'zod'
import type { ImageSummary } from '../types'
import type { MaskState } from '../api'
import { id, output } from './schemaParts'

/** Images, image labels and masks with their undo history. */
export const annotationApi = {
  'images.list': { input: z.object({}).strict(), output: output<ImageSummary[]>() },
  'image.get': { input: z.object({ id }).strict(), output: output<ImageSummary>() },
  'labels.set': {
    input: z.object({ imageId: id, classIds: z.array(id).max(256).nullable() }).strict(),
    output: output<ImageSummary>(),
  },
  'mask.get': { input: z.object({ imageId: id }).strict(), output: output<MaskState>() },
  'mask.commit': {
    input: z
      .object({
        imageId: id,
        /** PNG of class indices (single channel), base64. */
        png: z
          .string()
          .min(1)
          .max(200 * 1024 * 1024),
        kind: z.enum(['edit', 'prediction']).default('edit'),
      })
      .strict(),
    output: output<MaskState>(),
  },
  'mask.undo': {
    input: z
      .object({
        imageId: id,
        /** Undo past the imported or first-saved mask: refused without it. */
        pastFirst: z.boolean().optional(),
      })
      .strict(),
    output: output<MaskState>(),
  },
  'mask.redo': { input: z.object({ imageId: id }).strict(), output: output<MaskState>() },
} as const
