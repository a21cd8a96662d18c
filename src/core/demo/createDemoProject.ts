import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { importDataset } from '../data/importDataset'
import type { ImportSummary } from '../data/runImport'
import { chooseLabelledSet } from '../data/labelledSet'
import { createRandomSplit } from '../data/splitProject'
import { closeProject, createProject, type Project } from '../store/project'
import { DEMO_CLASSES, DEMO_MASK_CLASSES, type DemoVariant } from './demoClasses'
import {
  DEMO_DEFAULT_COUNT,
  DEMO_DEFAULT_SEED,
  generateDemoDataset,
  validateDemoOptions,
} from './generateDemoDataset'

/** The share of training images whose labels count at first, so the demo shows labelled and unlabelled images. */
export const DEMO_LABEL_FRACTION = 0.3

export interface DemoProjectOptions {
  seed?: number
  variant?: DemoVariant
  count?: number
  /** Slide-sized images (multi-label only); see DemoDatasetOptions. */
  slides?: number
  labelFraction?: number
  onProgress?(p: DemoProjectProgress): void
  signal?: AbortSignal
}

export interface DemoProjectProgress {
  stage: 'generate' | 'import'
  done: number
  total: number
  name: string
}

export interface DemoProject {
  /** Open; the caller closes it. */
  project: Project
  imported: ImportSummary
  splitId: number
  labelFractionId: number
  /** Images in the active label-fraction selection. */
  trainingImageIds: number[]
}

const PROJECT_NAMES: Record<DemoVariant, string> = {
  'multi-class': 'Demo: skin lesions (multi-class)',
  'multi-label': 'Demo: H&E slides (multi-label)',
}

/**
 * A ready-to-use demo project in `dir` (new or empty): synthetic images generated on the spot, imported
 * through the folder importer (lesions resized like ISIC, slides tiled like Dermatomyositis), a seeded
 * 70/10/20 split and an active label-fraction selection, so a newcomer sees images, masks, labels, a split
 * and a training set at once. On any failure nothing is left behind in `dir`.
 */
export async function createDemoProject(dir: string, options: DemoProjectOptions = {}): Promise<DemoProject> {
  const variant = options.variant ?? 'multi-class'
  const seed = options.seed ?? DEMO_DEFAULT_SEED
  const labelFraction = options.labelFraction ?? DEMO_LABEL_FRACTION
  const dataset = validateDemoOptions({
    seed,
    variant,
    count: options.count ?? DEMO_DEFAULT_COUNT,
    slides: options.slides,
  })
  if (!(labelFraction > 0 && labelFraction <= 1)) {
    throw new Error(`labelFraction must be in (0, 1], got ${String(labelFraction)}`)
  }
  const existed = fs.existsSync(dir)
  const project = createProject(dir, {
    name: PROJECT_NAMES[variant],
    labelMode: variant,
    classes: DEMO_CLASSES[variant],
    maskClasses: DEMO_MASK_CLASSES[variant].map((name) => ({ name })),
  })
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-'))
  try {
    const folder = path.join(source, 'dataset')
    await generateDemoDataset(folder, dataset, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ stage: 'generate', ...p }),
    })
    const imported = await importDataset(
      project,
      { format: 'folder', path: folder, preprocess: variant === 'multi-class' ? 'resize' : 'tile' },
      {
        signal: options.signal,
        onProgress: (done, total, name) => options.onProgress?.({ stage: 'import', done, total, name }),
      },
    )
    const splitId = createRandomSplit(project, seed)
    const selection = chooseLabelledSet(project, 'segmentation', labelFraction, seed)
    return {
      project,
      imported,
      splitId,
      labelFractionId: selection.labelFractionId,
      trainingImageIds: selection.imageIds,
    }
  } catch (e) {
    closeProject(project)
    if (existed) {
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true })
    } else fs.rmSync(dir, { recursive: true, force: true })
    throw e
  } finally {
    fs.rmSync(source, { recursive: true, force: true })
  }
}
