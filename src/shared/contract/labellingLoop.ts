import { z } from 'zod'
import { id, output } from './schemaParts'

/**
 * The labelling loop: a finished run predicts the images nobody has labelled, ranks them by how unsure it
 * is, and the labeller reviews them in that order.
 */

/** How a run's doubt about an image is measured; random is the control. */
export const uncertaintyStrategies = ['entropy', 'disagreement', 'mc-dropout'] as const
export type UncertaintyStrategyName = (typeof uncertaintyStrategies)[number]
export type QueueStrategy = UncertaintyStrategyName | 'random'

/** The strategies in the field's words, for people. */
export const STRATEGY_NAMES: Record<QueueStrategy, string> = {
  entropy: 'Predictive entropy',
  disagreement: 'CNN vs Swin-UNet disagreement',
  'mc-dropout': 'Monte Carlo dropout variance',
  random: 'Random (control)',
}

/** What each strategy's score measures, as a queued image's badge reads it: "entropy 1.098". */
export const STRATEGY_SCORE_NAMES: Record<UncertaintyStrategyName, string> = {
  entropy: 'entropy',
  disagreement: 'disagreement',
  'mc-dropout': 'variance',
}

/** A finished run that can predict again (segmentation or classification), and what it can measure. */
export interface LoopRun {
  runId: number
  task: 'segmentation' | 'classification'
  method: string
  labelFraction: number | null
  seed: number
  /** The uncertainty strategies this run can measure (disagreement: two networks; MC dropout: dropout). */
  strategies: UncertaintyStrategyName[]
}

/** One image's place in the queue. */
export interface QueuedImage {
  imageId: number
  name: string
  /** The run's score (entropy in nats, share of disagreeing pixels, variance); null for random. */
  score: number | null
  /**
   * A classification run's predicted labels for the image with their probabilities (multi-label: every
   * label at 0.5 or more, possibly none); absent for segmentation runs and images it has not predicted.
   */
  predicted?: { className: string; probability: number }[]
}

export interface LoopQueue {
  runId: number
  strategy: QueueStrategy
  images: QueuedImage[]
  /** Unlabelled images the run has not predicted with this strategy yet. */
  unscored: number
}

/** The uncertainty of a run's prediction over one image, as a layer the viewer lays over it. */
export interface UncertaintyLayer {
  runId: number
  strategy: UncertaintyStrategyName
  score: number
  width: number
  height: number
  /** base64 RGBA, width × height: heat colours, alpha the uncertainty (0 sure … 1 the most the measure allows). */
  layer: string
}

const strategy = z.enum(uncertaintyStrategies)

export const labellingLoopApi = {
  'loop.runs': { input: z.object({}).strict(), output: output<LoopRun[]>() },
  'loop.predict': {
    input: z
      .object({
        runId: id,
        images: z.union([z.enum(['unlabelled', 'all']), z.array(id).min(1).max(100_000)]),
        strategies: z.array(strategy).min(1).max(3).optional(),
      })
      .strict(),
    output: output<{ jobId: string }>(),
  },
  'loop.queue': {
    input: z
      .object({
        runId: id,
        strategy: z.enum([...uncertaintyStrategies, 'random']),
        count: z.number().int().min(0).max(100_000).optional(),
        seed: z.number().int().min(0).optional(),
      })
      .strict(),
    output: output<LoopQueue>(),
  },
  /** Trains a run's configuration again on what is labelled now, as a new run in the same experiments. */
  'loop.retrain': {
    input: z.object({ runId: id }).strict(),
    output: output<{ jobId: string; runId: number }>(),
  },
  'loop.uncertaintyLayer': {
    input: z.object({ runId: id, imageId: id, strategy }).strict(),
    output: output<UncertaintyLayer>(),
  },
} as const
