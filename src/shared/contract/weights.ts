import { z } from 'zod'
import { output } from './schemaParts'

export interface CachedWeightsInfo {
  architecture: string
  file: string
  sha256: string
  bytes: number
  importedFrom: string
  importedAt: string
}

/** ImageNet weights the user brings: picked files or folders, cached in the app's data folder. */
export const weightsApi = {
  'weights.list': { input: z.object({}).strict(), output: output<CachedWeightsInfo[]>() },
  'weights.import': {
    input: z
      .object({ paths: z.array(z.string().min(1, 'a path must not be empty')).min(1).max(100) })
      .strict(),
    output: output<{ imported: CachedWeightsInfo[]; rejected: { path: string; reason: string }[] }>(),
  },
} as const
