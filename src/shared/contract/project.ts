import { z } from 'zod'
import type { ClassDef, ProjectInfo } from '../types'
import type { AppStatus } from '../api'
import { classInput, labelModeSchema, output, projectDir } from './schemaParts'

/** Projects: create, open, the demo, classes. */
export const projectApi = {
  'app.status': { input: z.object({}).strict(), output: output<AppStatus>() },
  'project.create': {
    input: z
      .object({
        dir: projectDir,
        name: z.string().trim().min(1, 'name must not be empty').max(200),
        labelMode: labelModeSchema,
        classes: z.array(classInput).max(256),
      })
      .strict(),
    output: output<ProjectInfo>(),
  },
  'project.open': { input: z.object({ dir: projectDir }).strict(), output: output<ProjectInfo>() },
  'project.close': { input: z.object({}).strict(), output: output<null>() },
  'project.info': { input: z.object({}).strict(), output: output<ProjectInfo>() },
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
  'classes.add': { input: classInput.strict(), output: output<ClassDef[]>() },
} as const
