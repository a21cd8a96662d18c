import { z } from 'zod'
import type { ClassDef, MaskClassDef, ProjectInfo } from '../types'
import type { AppStatus } from '../api'
import { classInput, id, labelModeSchema, maskClassInput, output, projectDir } from './schemaParts'

/** Projects: create, open, image labels and mask classes. */
export const projectApi = {
  'app.status': { input: z.object({}).strict(), output: output<AppStatus>() },
  'project.create': {
    input: z
      .object({
        dir: projectDir,
        name: z.string().trim().min(1, 'name must not be empty').max(200),
        labelMode: labelModeSchema,
        /** Image labels (diagnoses); `maskClass` names the mask class such an image usually shows. */
        classes: z
          .array(classInput.extend({ maskClass: z.string().trim().min(1).max(64).optional() }))
          .max(256),
        /** Mask classes: what a pixel can be (pixel values 1, 2, … in this order). */
        maskClasses: z.array(maskClassInput).max(255).optional(),
      })
      .strict(),
    output: output<ProjectInfo>(),
  },
  'project.open': { input: z.object({ dir: projectDir }).strict(), output: output<ProjectInfo>() },
  'project.close': { input: z.object({}).strict(), output: output<null>() },
  'project.info': { input: z.object({}).strict(), output: output<ProjectInfo>() },
  'classes.add': { input: classInput.strict(), output: output<ClassDef[]>() },
  'project.lockEvaluationMasks': {
    input: z.object({ locked: z.boolean() }).strict(),
    output: output<ProjectInfo>(),
  },
  'maskClasses.add': { input: maskClassInput.strict(), output: output<MaskClassDef[]>() },
  'maskClasses.setColour': {
    input: z
      .object({ id, color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must look like #rrggbb') })
      .strict(),
    output: output<MaskClassDef[]>(),
  },
} as const
