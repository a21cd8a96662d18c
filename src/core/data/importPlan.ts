import type { LabelMode, Subset } from '../../shared/types'
import type { ImportProblem } from './importError'
import { SLIDE_EXTENSIONS } from '../slide/slideFormats'

/** How an image becomes training tiles (paper section 3.3.1). */
export type Preprocess =
  /** 480 × 480 tiles with blank padding at the edges (Dermatomyositis slides, big single images). */
  | 'tile'
  /** One bilinear resize of the whole image to 480 × 480 (the lesion datasets: ISIC, Dermofit). */
  | 'resize'

/** One image an import will add, found by a format's scanner. */
export interface PlannedImage {
  /** Absolute path of the image file. */
  file: string
  /** Name shown in the app (path relative to the import folder). */
  name: string
  maskFile?: string | null
  /** Name of the mask in problem reports (path relative to the import folder). */
  maskName?: string | null
  /** Class names; undefined or null = unlabelled. An empty list means "labelled: none of these" (multi-label). */
  labels?: string[] | null
  officialSplit?: Subset | null
}

/** What a scanner found in a folder: the images, the classes in order, and everything wrong with the layout. */
export interface ImportPlan {
  /** Image labels (diagnoses), in column order. */
  classes: string[]
  /**
   * What the masks' pixel values mean: value k is the mask class named `maskClasses[k - 1]` (a binary 0/255
   * mask is value 1). Null when the dataset does not say: its values then mean the project's own mask
   * classes, and a binary mask the project's first one (`foreground` in a project that has none yet).
   */
  maskClasses: string[] | null
  /** Image label → the mask class such an image usually shows (every lesion diagnosis → `lesion`). */
  labelMaskClasses?: Record<string, string>
  labelMode: LabelMode
  preprocess: Preprocess
  items: PlannedImage[]
  problems: ImportProblem[]
}

/** The mask class a lesion dataset's binary masks stand for. */
const LESION_MASK_CLASS = 'lesion'

/**
 * A lesion dataset's plan before its images are found (ISIC-2017, Dermofit): one diagnosis per image, and
 * binary masks of the lesion, which every diagnosis shows.
 */
export function lesionDatasetPlan(classes: string[], preprocess: Preprocess): ImportPlan {
  return {
    classes,
    maskClasses: [LESION_MASK_CLASS],
    labelMaskClasses: Object.fromEntries(classes.map((c) => [c, LESION_MASK_CLASS])),
    labelMode: 'multi-class',
    preprocess,
    items: [],
    problems: [],
  }
}

/** Pictures and whole-slide files the importer accepts (slides: the one list in slide/slideFormats.ts). */
export const IMAGE_EXTENSIONS: readonly string[] = [
  ...new Set([
    '.png',
    '.jpg',
    '.jpeg',
    '.tif',
    '.tiff',
    ...SLIDE_EXTENSIONS.map((e) => e.replace(/^\.ome/, '')),
  ]),
]
