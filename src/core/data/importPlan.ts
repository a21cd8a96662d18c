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
  classes: string[]
  labelMode: LabelMode
  preprocess: Preprocess
  items: PlannedImage[]
  problems: ImportProblem[]
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
