import { z } from 'zod'
import { output } from './schemaParts'

export type MethodKind = 'supervised' | 'semi-supervised' | 'self-supervised' | 'unsupervised'
export type HyperValue = number | string | boolean

/** One training method as the catalogue describes it (core/methods/catalogue.ts is the source). */
export interface MethodInfo {
  /** The name runs, the CLI and train.start use: 'supervised', 'cross-teaching', 'dino'. */
  id: string
  task: 'segmentation' | 'classification'
  /** For people: 'Supervised U-Net'. */
  name: string
  kind: MethodKind
  description: string
  /** False: unsupervised, always trained at label fraction 0. */
  usesLabels: boolean
  /** False: listed (the paper has it) but not built in this version. */
  available: boolean
  /** Where its defaults come from (paper section, reference code). */
  source: string | null
  /** The defaults of each preset (null when not available). */
  presets: { quick: Record<string, HyperValue>; paper: Record<string, HyperValue> } | null
  hyperparameters: {
    name: string
    type: 'number' | 'string' | 'boolean'
    quick: HyperValue | null
    paper: HyperValue | null
    about: string | null
  }[]
}

/** The method catalogue: what can be trained, for the training panel and the CLI's help. */
export const methodsApi = {
  'methods.list': {
    input: z
      .object({ task: z.enum(['segmentation', 'classification']).optional() })
      .strict()
      .default({}),
    output: output<MethodInfo[]>(),
  },
  // What a run with these choices (backbone, DINO's recipe, any override) would train with: DINO's
  // defaults follow the backbone and recipe, so the preset's list alone can mislead.
  'methods.settings': {
    input: z
      .object({
        task: z.enum(['segmentation', 'classification']),
        method: z.string().min(1),
        preset: z.enum(['quick', 'paper']),
        overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
      })
      .strict(),
    output: output<RunSetting[]>(),
  },
} as const

/** One hyperparameter a run would train with. */
export interface RunSetting {
  name: string
  value: HyperValue
  about: string | null
}
