import { createHash } from 'node:crypto'
import { createBatchReader } from '../../data/batchReader'
import { listTrainingSamples, type TrainingSample } from '../../data/trainingSamples'
import { listClasses } from '../../store/classes'
import { labelMode } from '../../store/labels'
import type { Project } from '../../store/project'
import { splitImages } from '../../data/splitImages'
import type { ImageSummary } from '../../../shared/types'
import type { ClassificationData, ClassificationSet } from './classificationData'

/**
 * A project's images as a classifier sees them (paper §3.2: the lesion sets are resized to 480 and then
 * 224; the reader resizes once, bilinearly, straight to the model's side). An image stored whole — a
 * lesion, or any image no larger than one tile — is one sample, the whole image resized, never a mostly
 * blank padded tile. A slide stored as tiles is classified tile by tile, each tile carrying its image's
 * labels; evaluation averages the tiles' scores back to the image. The run's split decides
 * train/val/test and its label-fraction selection which training images keep their labels; the
 * project's label mode decides multi-class or multi-label.
 */
export interface ImageLevelOptions {
  splitId: number
  labelFractionId: number | null
  /** Model input side (224 for the paper's backbones; 32 for the small presets). */
  size: number
  /** The paper's red-channel normalisation for RGB lesion sets (Dermofit, ISIC-2017). */
  redChannel: boolean
}

export async function loadClassificationData(
  project: Project,
  opts: ImageLevelOptions,
): Promise<ClassificationData> {
  const kind = labelMode(project)
  const classes = listClasses(project)
  if (!classes.length) throw new Error('The project has no classes: add the diagnoses to classify first')
  const index = new Map(classes.map((c, i) => [c.id, i]))
  const { split, inSubset, train, labelledIds } = splitImages(project, opts.splitId, opts.labelFractionId)

  const targetsOf = (img: ImageSummary): Float32Array => {
    if (!img.labelled)
      throw new Error(`Image ${img.name} (id ${img.id}) is in a labelled set but has no labels`)
    if (kind === 'multi-class' && img.labels.length !== 1)
      throw new Error(
        `Image ${img.name} (id ${img.id}) has ${img.labels.length} classes; this project is multi-class (one per image)`,
      )
    const t = new Float32Array(classes.length)
    for (const c of img.labels) {
      const k = index.get(c)
      if (k === undefined) throw new Error(`Image ${img.name} (id ${img.id}) carries unknown class ${c}`)
      t[k] = 1
    }
    return t
  }

  const setOf = (images: ImageSummary[], withTargets: boolean): ClassificationSet => {
    const samples: TrainingSample[] = listTrainingSamples(project, images, { tiles: true })
    const reader = createBatchReader(project, samples, { size: opts.size, redChannel: opts.redChannel })
    let targets: Float32Array | null = null
    if (withTargets) {
      const byImage = new Map(images.map((i) => [i.id, targetsOf(i)]))
      targets = new Float32Array(samples.length * classes.length)
      samples.forEach((s, k) => targets!.set(byImage.get(s.imageId)!, k * classes.length))
    }
    return {
      ids: samples.map((s) => s.imageId),
      targets,
      read: async (indices) => (await reader.read([...indices])).pixels,
    }
  }

  const labelled = train.filter((i) => labelledIds.has(i.id))
  const val = inSubset('val').filter((i) => i.labelled)
  const test = inSubset('test').filter((i) => i.labelled)
  const version = createHash('sha256')
    .update(
      JSON.stringify({
        split: [...split.assignments].sort((a, b) => a[0] - b[0]),
        labelled: [...labelledIds].sort((a, b) => a - b),
        labels: [...labelled, ...val, ...test].map((i) => [i.id, i.labels]),
        classes: classes.map((c) => c.id),
        kind,
        size: opts.size,
        redChannel: opts.redChannel,
      }),
    )
    .digest('hex')
    .slice(0, 16)
  const trainImagesVersion = createHash('sha256')
    .update(
      JSON.stringify({
        train: train.map((i) => [i.id, i.blob]),
        size: opts.size,
        redChannel: opts.redChannel,
      }),
    )
    .digest('hex')
    .slice(0, 16)
  return {
    size: opts.size,
    classes: classes.length,
    classNames: classes.map((c) => c.name),
    labelKind: kind,
    labelled: setOf(labelled, true),
    unlabelled: setOf(
      train.filter((i) => !labelledIds.has(i.id)),
      false,
    ),
    val: setOf(val, true),
    test: setOf(test, true),
    datasetVersion: version,
    trainImagesVersion,
  }
}
