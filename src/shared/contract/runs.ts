import { z } from 'zod'
import type { ResultsTable, RunDetail, RunImageScore, RunSummary } from '../training'
import type { LabelBudgetAdvice } from '../labelBudget'
import { id, output } from './schemaParts'
import { taskSchema } from './training'

/** Stored runs: the list, a run's page (configuration, curves, per-image scores, log), hide and delete; the results table. */
export const runsApi = {
  'runs.list': { input: z.object({}).strict(), output: output<RunSummary[]>() },
  'runs.get': { input: z.object({ runId: id }).strict(), output: output<RunDetail>() },
  'runs.metrics': {
    input: z.object({ runId: id }).strict(),
    output:
      output<
        { epoch: number | null; step: number | null; subset: string | null; name: string; value: number }[]
      >(),
  },
  /** A segmentation run's test images scored one by one, worst first. */
  'runs.imageScores': { input: z.object({ runId: id }).strict(), output: output<RunImageScore[]>() },
  /** Hidden runs stay stored but leave the results table. */
  'runs.setHidden': {
    input: z.object({ runId: id, hidden: z.boolean() }).strict(),
    output: output<RunSummary>(),
  },
  /** Deletes a finished run with its metrics, log, predictions, checkpoint and predicted-mask blobs. */
  'runs.delete': { input: z.object({ runId: id }).strict(), output: output<{ removedBlobs: number }>() },
  /** A finished run's model as safetensors (base64) with its JSON model card. */
  'runs.exportModel': {
    input: z.object({ runId: id }).strict(),
    output: output<{ baseName: string; safetensorsBase64: string; card: unknown }>(),
  },
  'results.table': {
    input: z
      .object({ task: taskSchema, includeHidden: z.boolean().optional(), experimentId: id.optional() })
      .strict(),
    output: output<ResultsTable>(),
  },
  /** The results as a file: every run as CSV, the table as Markdown or LaTeX (booktabs), or all as JSON. */
  'results.export': {
    input: z
      .object({
        task: taskSchema,
        format: z.enum(['csv', 'md', 'latex', 'json']),
        /** The table's metric (Markdown, LaTeX); default the task's headline. */
        metric: z.string().min(1).max(100).optional(),
        includeHidden: z.boolean().optional(),
        /** Only the runs of this experiment. */
        experimentId: id.optional(),
      })
      .strict(),
    output: output<{ text: string; fileName: string; mimeType: string }>(),
  },
  /**
   * The label-budget advisor: a learning curve per method fitted to the finished runs, what `extra` more
   * labelled images are expected to give, and the supervised labels that match each other method.
   */
  'results.labelBudget': {
    input: z
      .object({
        task: taskSchema,
        /** Default: the task's headline metric. */
        metric: z.string().min(1).max(100).optional(),
        extra: z.number().int().min(1).max(1_000_000).optional(),
        experimentId: id.optional(),
      })
      .strict(),
    output: output<LabelBudgetAdvice>(),
  },
} as const
