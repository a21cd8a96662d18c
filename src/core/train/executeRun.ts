import os from 'node:os'
import { gpuMemoryFromEnvironment } from '../engine/machine'
import type { JobProgress } from '../../shared/events'
import type { TrainProgress } from '../methods/method'
import { findMethod } from '../methods/catalogue'
import type { RunConfig } from '../methods/catalogueEntry'
import { openProject, closeProject } from '../store/project'
import { addRunMetrics, appendRunLog, getRun, updateRun } from '../store/runs'
import { replaceRunCheckpoint } from '../store/runDeletion'
import { decodeCheckpoint, encodeCheckpoint } from '../engine/checkpointCodec'
import type { BackendReport, FromWorker } from './workerProtocol'
import { projectBackbones } from './projectBackbones'
import { importedImagenet } from '../models/pretrained/importedImagenetWeights'
import { glassTilesSkipped } from '../data/slideTissue'
import { loadSplit } from '../store/splits'
import type { GlassTilesSkipped } from '../../shared/training'
import { backendRecord } from '../../shared/backendRecord'
import type { MethodRunner } from '../methods/catalogueEntry'
import type { HostedResult } from '../methods/method'
import type { Project } from '../store/project'
import { afterTrainingReports } from './predictionProgress'
import { TrainerPredictionError } from './trainedPredictions'
import { trainerInProcess, type Trainer } from './trainer'

/** Loss curves are stored every this many steps and at each epoch's end (all of them are streamed live). */
const STORE_EVERY_STEPS = 5

/**
 * Where a live term is stored: losses under 'train'; a validation score reported beside them (fine-tuning's
 * valF1Macro) under 'val' as f1Macro, so the results pane charts it with the scores, not the losses.
 */
export function curveName(term: string): { subset: 'train' | 'val'; name: string } {
  if (/^val[A-Z]/.test(term) && !/Loss$/.test(term))
    return { subset: 'val', name: term[3].toLowerCase() + term.slice(4) }
  return { subset: 'train', name: term }
}

/**
 * A step's terms that have a value: a term not measured yet (fine-tuning's validation loss before the first
 * epoch ends) is NaN, which JSON turns into null and a reader into 0 — a false point on the live curve.
 */
export function measuredTerms(losses: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(losses).filter(([, v]) => Number.isFinite(v)))
}

/** The run log's line on glass tiles left out, per subset; null when none were. */
function glassTilesNote(glass: GlassTilesSkipped): string | null {
  const parts = (
    [
      ['training', glass.train],
      ['validation', glass.val],
      ['test', glass.test],
    ] as const
  )
    .filter(([, g]) => g.tiles > 0)
    .map(([name, g]) => `${g.tiles} ${name} (${g.slides} slide${g.slides === 1 ? '' : 's'})`)
  return parts.length ? `Skipped tiles of mostly glass (tissue detection): ${parts.join(', ')}` : null
}

/**
 * Trains one stored run to the end, inside the worker process: reads its config, resumes from its last
 * checkpoint if it has one, streams progress, stores loss curves, checkpoints and final metrics.
 */
export async function executeRun(
  projectDir: string,
  runId: number,
  opts: {
    post(m: FromWorker): void
    signal: AbortSignal
    backend: BackendReport
    /** Where the training loop runs: in this process unless given (the GPU window's trainer). */
    trainer?: Trainer
  },
): Promise<Record<string, number>> {
  const trainer = opts.trainer ?? trainerInProcess((task, id) => findMethod(task, id).method)
  const project = openProject(projectDir)
  try {
    const run = getRun(project, runId)
    const config = run.config as RunConfig
    const skipped = opts.backend.skipped ?? []
    const backendName = backendRecord(opts.backend.name, opts.backend.device, skipped)
    updateRun(project, runId, { status: 'running', backend: backendName, error: null })
    appendRunLog(project, runId, `Training on ${backendName}`)
    const entry = findMethod(config.task, config.method)
    opts.post({ type: 'progress', progress: { fraction: 0, message: 'Loading images' } })
    const data = await entry.loadData(project, config)
    // Training and prediction read the same tiles (data/slideTissue.ts): the run says how many it left out.
    const glass = glassTilesSkipped(project, loadSplit(project, config.splitId).assignments)
    const glassNote = glassTilesNote(glass)
    if (glassNote) appendRunLog(project, runId, glassNote)
    const started = Date.now()
    let lastStored = 0
    // The stage being trained (a several-stage method's: DINO pretrains, then fine-tunes) and since when:
    // its ETA counts its own steps, from the first one this worker ran (a resumed run starts mid-stage).
    let stage = { index: -1, started, firstDone: 0 }
    let lastReport = started
    const onProgress = (p: TrainProgress) => {
      const total = p.epochs * p.steps
      const done = (p.epoch - 1) * p.steps + p.step
      const index = p.phase?.index ?? 0
      if (index !== stage.index) {
        stage = { index, started: lastReport, firstDone: done - 1 }
        lastStored = 0
      }
      lastReport = Date.now()
      const elapsed = (lastReport - stage.started) / 1000
      const doneHere = done - stage.firstDone
      const within = total ? done / total : null
      const phase = p.phase
      const progress: Partial<JobProgress> = {
        // A stage is an equal share of the bar: later stages' lengths are not known until they start.
        fraction: within !== null && phase ? (phase.index + within) / phase.count : within,
        message:
          (phase ? `${phase.name} (stage ${phase.index + 1} of ${phase.count}) · ` : '') +
          `Epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.steps}`,
        epoch: p.epoch,
        epochs: p.epochs,
        step: p.step,
        steps: p.steps,
        losses: measuredTerms(p.losses),
        lr: p.lr,
        imagesPerSecond: p.imagesPerSecond,
        etaSeconds: doneHere > 0 ? (elapsed / doneHere) * (total - done) : undefined,
        ...(phase ? { phase } : {}),
      }
      opts.post({ type: 'progress', progress })
      // Every few steps and at each epoch's end: a stage of a few one-step epochs (a quick pretraining)
      // still leaves a curve, not one point.
      if (done - lastStored >= STORE_EVERY_STEPS || p.step === p.steps) {
        lastStored = done
        addRunMetrics(
          project,
          runId,
          Object.entries(measuredTerms({ ...p.losses, lr: p.lr })).map(([name, value]) => ({
            // Stored curves run on across stages: a stage's epochs follow those planned before it.
            epoch: (phase?.epochsBefore ?? 0) + p.epoch,
            step: done,
            ...curveName(name),
            value,
          })),
        )
      }
    }
    try {
      const result = await trainer.train(config, {
        data,
        preset: config.preset,
        seed: config.seed,
        hyper: config.overrides,
        onProgress,
        signal: opts.signal,
        backbones: projectBackbones(project),
        machine: { totalMemoryBytes: os.totalmem(), gpuMemoryBytes: gpuMemoryFromEnvironment(process.env) },
        imagenetWeights: async (architecture) => importedImagenet(architecture),
        log: (line) => {
          console.error(line)
          appendRunLog(project, runId, line)
        },
        checkpoint: {
          save: async (epoch, state) => {
            const blob = project.blobs.put(encodeCheckpoint(epoch, state))
            replaceRunCheckpoint(project, runId, blob, { epoch })
          },
          restore: async () => {
            const blob = getRun(project, runId).checkpointBlob
            return blob ? decodeCheckpoint(project.blobs.get(blob)) : null
          },
        },
      })
      try {
        addRunMetrics(
          project,
          runId,
          Object.entries(result.metrics).map(([name, value]) => ({ subset: 'final', name, value })),
        )
        if (entry.afterTraining) {
          const after = afterTrainingReports(opts.signal, (progress) =>
            opts.post({ type: 'progress', progress }),
          )
          try {
            await entry.afterTraining(project, runId, config, data, result, after)
            if (trainer.apart) appendRunLog(project, runId, PREDICTED_APART)
          } catch (e) {
            // The GPU window is gone (crashed, closed) after training or failed to predict there: the run is
            // stored, and its host predicts from the last checkpoint on its own backend instead.
            if (!(e instanceof TrainerPredictionError) || opts.signal.aborted) throw e
            appendRunLog(project, runId, predictedOnHost(e))
            const restored = restoredResult(entry, project, runId, config, result)
            try {
              await entry.afterTraining(project, runId, config, data, restored, after)
            } finally {
              restored.dispose()
            }
          }
        }
      } finally {
        result.dispose()
      }
      for (const note of result.notes ?? []) appendRunLog(project, runId, note)
      updateRun(project, runId, {
        status: 'succeeded',
        progress: {
          hyper: result.hyper,
          ...(result.notes?.length || glassNote
            ? { notes: [...(result.notes ?? []), ...(glassNote ? [glassNote] : [])] }
            : {}),
          glassTilesSkipped: glass,
        },
      })
      return result.metrics
    } finally {
      entry.disposeData?.(data)
    }
  } catch (e) {
    const cancelled = opts.signal.aborted
    try {
      appendRunLog(
        project,
        runId,
        cancelled ? 'Cancelled' : `Failed: ${e instanceof Error ? e.message : String(e)}`,
      )
    } catch {
      // The run itself is gone (deleted while training): nothing to log to.
    }
    updateRun(project, runId, {
      status: cancelled ? 'cancelled' : 'failed',
      error: cancelled ? null : e instanceof Error ? e.message : String(e),
    })
    throw e
  } finally {
    closeProject(project)
  }
}

/** The run log's line when the trainer was apart and predicted the project's images too. */
export const PREDICTED_APART = "Predicted the project's images in the GPU window that trained the run"

/** The run log's line when the window could not predict and the host did, from the checkpoint. */
export function predictedOnHost(e: unknown): string {
  const why = e instanceof Error ? e.message : String(e)
  return `The GPU window could not predict the project's images (${why}); predicted them on this computer's CPU from the run's last checkpoint`
}

/**
 * A result trained apart whose trainer is gone, predicting on the host: the networks the run reports,
 * rebuilt from its last checkpoint, as a finished run's model is for the labelling loop.
 */
function restoredResult(
  entry: MethodRunner,
  project: Project,
  runId: number,
  config: RunConfig,
  result: HostedResult,
): HostedResult {
  const blob = getRun(project, runId).checkpointBlob
  if (!blob || !entry.restoreSegmenter)
    throw new Error(`${config.method} trained apart left no checkpoint to predict the project's images from`)
  const restored = entry.restoreSegmenter(project, config, decodeCheckpoint(project.blobs.get(blob)).state)
  return { ...result, predict: (images) => restored.predict(images), dispose: () => restored.dispose() }
}
