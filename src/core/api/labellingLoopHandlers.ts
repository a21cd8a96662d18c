import { decodeMaskPng } from '../data/maskRaster'
import { findMethod } from '../methods/catalogue'
import type { RunConfig } from '../methods/catalogueEntry'
import { heatColour } from '../../shared/heatRamp'
import { imageUncertainty } from '../store/predictionUncertainty'
import { listRuns } from '../store/runs'
import { nextToLabel } from '../train/nextToLabel'
import { predictableRun, predictEverywhere } from '../train/predictEverywhere'
import { createRetrainRun } from '../train/retrainRun'
import { plannedBackend, submitRun } from '../train/trainingJobs'
import { predictedLabelsOf } from '../train/predictLabels'
import type { LoopRun } from '../../shared/contract/labellingLoop'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** The uncertainty map (8-bit, 255 the measure's most) as heat colours whose alpha is the uncertainty. */
function heatLayer(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 4)
  grey.forEach((v, p) => {
    out.set(heatColour(v / 255), p * 4)
    out[p * 4 + 3] = v
  })
  return out
}

/** The labelling loop: predict the unlabelled images, rank them by uncertainty, draw where the doubt lies. */
export function labellingLoopHandlers(
  session: Session,
): HandlerGroup<'loop.runs' | 'loop.predict' | 'loop.queue' | 'loop.retrain' | 'loop.uncertaintyLayer'> {
  return {
    'loop.runs': async () =>
      listRuns(session.requireProject())
        .filter((r) => r.status === 'succeeded' && r.checkpointBlob)
        .flatMap((r): LoopRun[] => {
          const common = { runId: r.id, method: r.method, labelFraction: r.labelFraction, seed: r.seed }
          // A classifier's checkpoint is its whole model; it measures the entropy of its probabilities.
          if (r.task === 'classification')
            return [{ ...common, task: 'classification', strategies: ['entropy'] }]
          const runner = findMethod(r.task, (r.config as RunConfig).method)
          if (!runner.restoreSegmenter) return []
          return [{ ...common, task: 'segmentation', strategies: runner.measures ?? ['entropy'] }]
        })
        .reverse(),
    'loop.predict': async ({ runId, images, strategies }) => {
      const project = session.requireProject()
      // Refused now, not later in the job: a run that cannot predict says why at once.
      predictableRun(project, runId)
      const what =
        images === 'unlabelled'
          ? 'unlabelled images'
          : images === 'all'
            ? 'all images'
            : `${images.length} images`
      const job = session.jobs.submit({
        kind: 'predict',
        title: `Predict ${what} with run ${runId}`,
        // Predictions queue behind each other, not behind training (which runs in its own process).
        device: 'prediction',
        runIds: [runId],
        run: async (ctx) => {
          const started = Date.now()
          const summary = await predictEverywhere(project, {
            runId,
            images,
            strategies,
            signal: ctx.signal,
            onProgress: (done, total, name) => {
              const elapsed = (Date.now() - started) / 1000
              ctx.progress({
                fraction: total ? done / total : null,
                message: name ? `${done}/${total} · ${name}` : `${done}/${total}`,
                ...(done > 0 && done < total ? { etaSeconds: (elapsed / done) * (total - done) } : {}),
              })
            },
          })
          session.emit({ type: 'project', change: 'runs' })
          return summary
        },
      })
      return { jobId: job.id }
    },
    'loop.queue': async ({ runId, strategy, count, seed }) => {
      const project = session.requireProject()
      const r = nextToLabel(project, { runId, strategy, count, seed })
      const labels = predictedLabelsOf(project, runId)
      const images = r.ranked.map((i) => {
        const predicted = labels.get(i.imageId)
        return predicted ? { ...i, predicted } : i
      })
      return { runId, strategy, images, unscored: r.unscored.length }
    },
    'loop.retrain': async ({ runId }) => {
      const project = session.requireProject()
      const next = createRetrainRun(project, runId, plannedBackend(session))
      const job = submitRun(session, project, next, session.launchWorker)
      session.emit({ type: 'project', change: 'runs' })
      return { jobId: job.id, runId: next }
    },
    'loop.uncertaintyLayer': async ({ runId, imageId, strategy }) => {
      const project = session.requireProject()
      const u = imageUncertainty(project, runId, imageId).find((s) => s.strategy === strategy)
      if (!u?.map)
        throw new Error(`Run ${runId} has not measured ${strategy} on image ${imageId}: predict it first`)
      const grey = await decodeMaskPng(project.blobs.get(u.map.blob), `Uncertainty map of image ${imageId}`)
      return {
        runId,
        strategy,
        score: u.score,
        width: grey.width,
        height: grey.height,
        layer: Buffer.from(heatLayer(grey.data)).toString('base64'),
      }
    },
  }
}
