import { z } from 'zod'
import type { ProjectInfo } from '../types'
import { labelModeSchema, output, projectDir } from './schemaParts'

/** The demo project: synthetic images with masks and labels, generated on the spot. */
export const demoApi = {
  'demo.create': {
    input: z
      .object({
        dir: projectDir.optional(),
        variant: labelModeSchema.default('multi-class'),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1234),
        count: z.number().int().min(4).max(2000).optional(),
      })
      .strict(),
    output: output<ProjectInfo>(),
  },
} as const
