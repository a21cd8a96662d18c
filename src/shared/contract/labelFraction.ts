import { z } from 'zod'
import type { LabelSource } from '../types'
import { output } from './schemaParts'

export type LabelTask = 'classification' | 'segmentation'
/** A label fraction in (0, 1] (0.3 is 30 %) or 'user': exactly the images that were labelled. */
export type LabelFractionChoice = number | 'user'

export interface LabelFractionState {
  task: LabelTask
  splitId: number
  trainImages: number
  /** Training images with labels (classification) or a hand-made mask (segmentation): what 'user' takes. */
  labelled: number
  /** Training images whose mask came from an accepted prediction ("reviewed"; segmentation). */
  reviewed: number
  /** Per class: training images labelled with it, and how many of them the active set holds. */
  perClass: { classId: number; name: string; color: string; labelled: number; selected: number }[]
  /** The labelled set training uses by default (the grid marks it), if one was chosen. */
  active: {
    task: LabelTask | null
    fraction: number | null
    mode: 'fraction' | 'user'
    seed: number | null
    labelSource: LabelSource
    imageIds: number[]
    datasetVersion: string
  } | null
}

export interface LabelFractionPreview {
  choice: LabelFractionChoice
  seed: number
  labelSource: LabelSource
  imageIds: number[]
  datasetVersion: string
  perClass: { classId: number; selected: number }[]
}

export const labelTaskSchema = z.enum(['classification', 'segmentation'])
const labelFractionChoice = z.union([z.literal('user'), z.number().gt(0).max(1)])
const selectionSeed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
/** Hand-made masks only (the default: ground truth stays human), or reviewed predictions too. */
export const labelSourceSchema = z.enum(['hand', 'reviewed'])
const choiceInput = z
  .object({
    task: labelTaskSchema,
    choice: labelFractionChoice,
    seed: selectionSeed,
    labelSource: labelSourceSchema.optional(),
  })
  .strict()

/** The labelled set: which training images keep their labels (fractions are 0–1 here). */
export const labelFractionApi = {
  'labelFraction.state': {
    input: z.object({ task: labelTaskSchema }).strict(),
    output: output<LabelFractionState>(),
  },
  'labelFraction.preview': { input: choiceInput, output: output<LabelFractionPreview>() },
  'labelFraction.choose': { input: choiceInput, output: output<LabelFractionState>() },
} as const
