import { createHash } from 'node:crypto'
import { evaluationMetric, evaluationMetricsOf } from '../../shared/evaluationMetrics'
import { decodeCheckpoint, encodeCheckpoint } from '../engine/checkpointCodec'
import { decodeSafetensors, encodeSafetensors } from '../engine/safetensors'
import type { TrainState } from '../engine/trainState'
import { finalMetrics } from '../eval/resultsTable'
import { findEntry } from '../methods/catalogue'
import type { RunConfig } from '../methods/catalogueEntry'
import { describeRun } from '../methods/runDescription'
import { listMaskClasses } from '../store/maskClasses'
import { getMeta, type Project } from '../store/project'
import { appendRunLog, createRun, getRun, setRunHidden, updateRun } from '../store/runs'
import { activeSplitId } from '../store/splits'

/**
 * A trained model leaving the project: its weights as safetensors (readable by PyTorch) and a JSON model
 * card saying what it is — method, backbone, preset and every hyperparameter, classes, the data version it
 * was trained on, its scores with their definitions, backend, seed and dates. Imported into another
 * project it becomes a run there (hidden from the results: it was not trained on that project's data) that
 * has predicted every image, so the viewer shows its masks.
 */

export const MODEL_CARD_FORMAT = 's4mi-model-card'

export interface ModelCard {
  format: typeof MODEL_CARD_FORMAT
  version: 1
  task: string
  method: string
  methodName: string
  backbone: string
  preset: string
  hyperparameters: Record<string, number | string | boolean>
  /** What each output channel means: background and foreground (any mask class), as the methods train. */
  outputs: string[]
  /** The mask classes of the project it was trained in; foreground is any of them. */
  maskClasses: string[]
  project: string
  dataVersion: string
  labelFraction: number | null
  labelledImages: number | null
  seed: number
  backend: string | null
  trainedAt: string | null
  exportedAt: string
  metrics: { name: string; label: string; definition: string; value: number }[]
  weights: { tensors: number; sha256: string }
  /** The run it came from, in its project. */
  runId: number
}

/** Weights kept by an imported run, under this prefix in its checkpoint. */
const IMPORTED = 'model.'

function importedWeights(state: TrainState): TrainState | null {
  const part = Object.entries(state).filter(([k]) => k.startsWith(IMPORTED))
  return part.length ? Object.fromEntries(part.map(([k, v]) => [k.slice(IMPORTED.length), v])) : null
}

export function exportModel(project: Project, runId: number): { safetensors: Buffer; card: ModelCard } {
  const run = getRun(project, runId)
  if (run.status !== 'succeeded')
    throw new Error(`Run ${runId} is ${run.status}: only a finished run's model can be exported`)
  if (!run.checkpointBlob) throw new Error(`Run ${runId} kept no checkpoint: there are no weights to export`)
  const config = run.config as RunConfig & { labelledImages?: number }
  const entry = findEntry(config.task, config.method)
  const state = decodeCheckpoint(project.blobs.get(run.checkpointBlob)).state
  const modelWeights = entry.runner?.modelWeights
  const weights = importedWeights(state) ?? (modelWeights ? modelWeights(state) : null)
  if (!weights) throw new Error(`${entry.name} models cannot be exported in this version`)
  const { preset, hyper, backbone } = describeRun(config, (run.progress as { hyper?: unknown } | null)?.hyper)
  const final = finalMetrics(project, runId)
  const safetensors = encodeSafetensors(weights, { format: 'pt', method: config.method, backbone })
  const card: ModelCard = {
    format: MODEL_CARD_FORMAT,
    version: 1,
    task: config.task,
    method: config.method,
    methodName: entry.name,
    backbone,
    preset,
    hyperparameters: hyper,
    outputs: ['background', 'foreground'],
    maskClasses: listMaskClasses(project).map((m) => m.name),
    project: getMeta(project, 'name') ?? project.dir,
    dataVersion: run.datasetVersion,
    labelFraction: run.labelFraction,
    labelledImages: typeof config.labelledImages === 'number' ? config.labelledImages : null,
    seed: run.seed,
    backend: run.backend,
    trainedAt: run.finishedAt,
    exportedAt: new Date().toISOString(),
    metrics: evaluationMetricsOf(Object.keys(final), config.task).map((name) => {
      const m = evaluationMetric(name)!
      return { name, label: m.label, definition: m.definition, value: final[name] }
    }),
    weights: {
      tensors: Object.keys(weights).length,
      sha256: createHash('sha256').update(safetensors).digest('hex'),
    },
    runId,
  }
  return { safetensors, card }
}

/** Makes an exported model a run of this project and predicts its images with it; returns the run's id. */
export async function importModel(project: Project, safetensors: Buffer, card: ModelCard): Promise<number> {
  if (card?.format !== MODEL_CARD_FORMAT || card.version !== 1)
    throw new Error(`The model card is not an S4MI model card (format "${String(card?.format)}")`)
  const sha = createHash('sha256').update(safetensors).digest('hex')
  if (sha !== card.weights.sha256)
    throw new Error('The weights file is not the one the model card describes (its SHA-256 differs)')
  const entry = findEntry(card.task, card.method)
  const predict = entry.runner?.predictWithWeights
  if (!predict) throw new Error(`${entry.name} models cannot be imported in this version`)
  const weights = decodeSafetensors(safetensors, 'the weights file').tensors
  const splitId = activeSplitId(project)
  const config = {
    task: card.task,
    method: card.method,
    preset: card.preset,
    labelFraction: card.labelFraction ?? 'user',
    seed: card.seed,
    overrides: card.hyperparameters,
    splitId,
    labelFractionId: null,
    importedFrom: { project: card.project, runId: card.runId, dataVersion: card.dataVersion },
  }
  const runId = createRun(project, {
    task: card.task,
    method: card.method,
    labelFraction: card.labelFraction,
    seed: card.seed,
    config,
    datasetVersion: `imported from ${card.project}: ${card.dataVersion}`,
    backend: card.backend,
  })
  try {
    updateRun(project, runId, { status: 'running' })
    const prefixed = Object.fromEntries(Object.entries(weights).map(([k, v]) => [IMPORTED + k, v]))
    updateRun(project, runId, { checkpointBlob: project.blobs.put(encodeCheckpoint(0, prefixed)) })
    appendRunLog(
      project,
      runId,
      `Imported ${card.methodName} (${card.backbone}) trained in "${card.project}" (run ${card.runId}, data ${card.dataVersion})`,
    )
    for (const m of card.metrics)
      appendRunLog(project, runId, `Scored there: ${m.label} ${m.value.toFixed(4)}`)
    await predict(project, runId, config as RunConfig, weights)
    // Its scores were measured on another project's data: it stays out of this project's results table.
    setRunHidden(project, runId, true)
    updateRun(project, runId, { status: 'succeeded', progress: { hyper: card.hyperparameters } })
    return runId
  } catch (e) {
    updateRun(project, runId, { status: 'failed', error: e instanceof Error ? e.message : String(e) })
    throw e
  }
}
