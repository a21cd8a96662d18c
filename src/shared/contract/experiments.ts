import { z } from 'zod'
import type { ExperimentStatistics, ExperimentSummary } from '../experiments'
import { id, output, presetSchema } from './schemaParts'
import { taskSchema } from './training'

/** The matrix an experiment trains (see shared/experiments.ts ExperimentSpec). */
export const experimentSpecSchema = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(120),
    tasks: z.array(taskSchema).min(1, 'choose at least one task'),
    methods: z.array(z.string().min(1).max(64)).min(1, 'choose at least one method'),
    backbones: z.array(z.string().min(1).max(64)).default([]),
    /** Shares 0–1: 0.1 is 10 %. */
    labelFractions: z
      .array(z.number().gt(0, 'a label fraction is above 0').max(1, 'a label fraction is at most 1 (100 %)'))
      .min(1, 'choose at least one label fraction'),
    seeds: z.number().int().min(1).max(100),
    preset: presetSchema.default('quick'),
    overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  })
  .strict()

/** Experiments: the methods × label fractions × seeds matrix as one object, its progress and statistics. */
export const experimentsApi = {
  'experiments.start': {
    input: experimentSpecSchema,
    output: output<{ experimentId: number; queued: number; reused: number; jobIds: string[] }>(),
  },
  'experiments.list': { input: z.object({}).strict(), output: output<ExperimentSummary[]>() },
  'experiments.get': { input: z.object({ experimentId: id }).strict(), output: output<ExperimentSummary>() },
  /** Queues again the runs that failed or were cancelled. */
  'experiments.resume': {
    input: z.object({ experimentId: id }).strict(),
    output: output<{ jobIds: string[] }>(),
  },
  'experiments.cancel': {
    input: z.object({ experimentId: id }).strict(),
    output: output<ExperimentSummary>(),
  },
  /** Per cell: n distinct seeds, mean, t-interval (none where n < 3), repeats; and cell-to-cell comparisons. */
  'experiments.statistics': {
    input: z
      .object({
        experimentId: id,
        metric: z.string().min(1).max(64),
        level: z.number().gt(0).lt(1).default(0.95),
      })
      .strict(),
    output: output<ExperimentStatistics>(),
  },
} as const
