import type { ImageSummary } from '../../shared/types'
import { listTrainingSamples, type TrainingSample } from '../data/trainingSamples'
import { labelEntropy } from '../methods/activeLearning/labelEntropy'
import { predictedClasses } from '../eval/classificationScores'
import { listClasses } from '../store/classes'
import { labelMode } from '../store/labels'
import { imageLabelPredictions, putLabelPrediction, runLabelPredictions } from '../store/labelPredictions'
import { imageUncertainty, putUncertainty, type UncertaintyStrategy } from '../store/predictionUncertainty'
import type { Project } from '../store/project'
import { imageProbabilities } from './imageProbabilities'
import { loadClassifier } from './restoredClassifier'

/**
 * Samples classified together: bounds memory on a slide of many tiles (224 px ResNet-50 activations), and
 * gathers small images into one pass (one at a time, a small input's time goes to per-op overhead; see
 * segmentation's predictionBatches.ts).
 */
const SAMPLES_PER_PASS = 8

/**
 * A finished classification run predicts images it never saw (the labelling loop): each image whole at the
 * run's input size, a slide tile by tile (glass left out) with its tiles' probabilities averaged, as the
 * run's own test images were scored (classifierEvaluation.ts). Stores the class probabilities per run, never
 * over the image's labels, and the entropy of the image's probabilities, which ranks what to label next.
 * Images done are skipped unless `again`; a cancelled job keeps what it finished.
 */
export async function predictLabels(
  project: Project,
  runId: number,
  images: ImageSummary[],
  opts: {
    strategies?: UncertaintyStrategy[]
    again?: boolean
    signal?: AbortSignal
    onProgress?(done: number, total: number, image: string): void
  },
): Promise<{ predicted: number; skipped: number; strategies: UncertaintyStrategy[] }> {
  const asked = opts.strategies ?? ['entropy']
  const refused = asked.filter((s) => s !== 'entropy')
  if (refused.length)
    throw new Error(
      `Run ${runId} is a classification run: it measures its uncertainty by entropy only, not ${refused.join(' or ')} (one network, no dropout at prediction)`,
    )
  const model = loadClassifier(project, runId, { purpose: 'predict from' })
  const { classes, kind } = model
  try {
    const done = (image: ImageSummary) =>
      imageLabelPredictions(project, image.id).some((p) => p.runId === runId) &&
      imageUncertainty(project, runId, image.id).some((u) => u.strategy === 'entropy')
    const todo = opts.again ? images : images.filter((i) => !done(i))
    const byImage = new Map<number, TrainingSample[]>()
    for (const s of listTrainingSamples(project, todo, { tiles: true })) {
      byImage.set(s.imageId, [...(byImage.get(s.imageId) ?? []), s])
    }
    let predicted = 0
    let finished = 0
    /** One more image finished (stored, or all glass): progress counts only what a cancel would keep. */
    const finish = (image: ImageSummary) => opts.onProgress?.(++finished, todo.length, image.name)
    // Images wait until their samples fill a pass; each is stored as soon as its pass is done.
    let waiting: ImageSummary[] = []
    const flush = async () => {
      if (!waiting.length) return
      const samples = waiting.flatMap((image) => byImage.get(image.id)!)
      const { mean, imageIds } = await imageProbabilities(project, model, samples, SAMPLES_PER_PASS)
      for (const image of waiting) {
        opts.signal?.throwIfAborted()
        const row = imageIds.indexOf(image.id)
        const probabilities = mean.subarray(row * classes.length, (row + 1) * classes.length)
        putLabelPrediction(project, {
          runId,
          imageId: image.id,
          probabilities: classes.map((c, i) => ({ classId: c.id, probability: probabilities[i] })),
        })
        putUncertainty(project, {
          runId,
          imageId: image.id,
          strategy: 'entropy',
          score: labelEntropy(probabilities, kind),
          map: null,
        })
        predicted++
        finish(image)
      }
      waiting = []
      // Let the event loop breathe between passes (progress, cancel).
      await new Promise((r) => setImmediate(r))
    }
    opts.onProgress?.(0, todo.length, todo[0]?.name ?? '')
    for (const image of todo) {
      opts.signal?.throwIfAborted()
      // A slide all glass has nothing to classify: it stays unpredicted (and unranked), not guessed.
      if (!(byImage.get(image.id) ?? []).length) {
        finish(image)
        continue
      }
      waiting.push(image)
      if (waiting.reduce((n, i) => n + byImage.get(i.id)!.length, 0) >= SAMPLES_PER_PASS) await flush()
    }
    await flush()
    opts.onProgress?.(todo.length, todo.length, '')
    return { predicted, skipped: images.length - predicted, strategies: ['entropy'] }
  } finally {
    model.dispose()
  }
}

/**
 * What a classification run predicted for each image it predicted, in words: the most probable class, or
 * every label at the threshold (multi-label; possibly none), each with its probability. Empty for others.
 */
export function predictedLabelsOf(
  project: Project,
  runId: number,
): Map<number, { className: string; probability: number }[]> {
  const names = new Map(listClasses(project).map((c) => [c.id, c.name]))
  const kind = labelMode(project) === 'multi-label' ? 'multi-label' : 'multi-class'
  return new Map(
    runLabelPredictions(project, runId).map((p) => [
      p.imageId,
      predictedClasses(
        kind,
        p.probabilities.map((c) => c.probability),
      ).map((i) => ({
        className: names.get(p.probabilities[i].classId) ?? `class ${p.probabilities[i].classId}`,
        probability: p.probabilities[i].probability,
      })),
    ]),
  )
}
