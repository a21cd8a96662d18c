import * as tf from '@tensorflow/tfjs'
import type { ClassDef } from '../../shared/types'
import { decodeCheckpoint } from '../engine/checkpointCodec'
import type { TrainState } from '../engine/trainState'
import type { LabelKind } from '../eval/classificationScores'
import { runHyper } from '../methods/method'
// The run's method gives its defaults (backbone, input size).
import { findMethod } from '../methods/catalogue'
import type { RunConfig } from '../methods/catalogueEntry'
import {
  buildClassifier,
  checkBackbone,
  type ClassifierBackbone,
  type ClassifierNet,
} from '../methods/classification/classifierNet'
import { listClasses } from '../store/classes'
import { labelMode } from '../store/labels'
import type { Project } from '../store/project'
import { getRun, type RunRow } from '../store/runs'

/** Where each network's weights sit in a run's checkpoint: best-validation ones first, else the last. */
const WEIGHT_PREFIXES = {
  cnn: ['best.', 'cnnFineTune.best.', 'net.', 'cnnFineTune.net.'],
  // CASS carries its fine-tuned Transformer (best-validation weights) beside the CNN's phase.
  vit: ['carry.vitNet.'],
}

/** The classifier weights in a run's checkpoint: best-validation ones when kept, else the last. */
export function classifierWeights(state: TrainState, network: 'cnn' | 'vit' = 'cnn'): TrainState {
  for (const prefix of WEIGHT_PREFIXES[network]) {
    const part = Object.fromEntries(
      Object.entries(state)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    )
    if (Object.keys(part).length) return part
  }
  throw new Error(
    network === 'vit'
      ? 'The run checkpoint holds no Transformer weights (only CASS runs trained since its Transformer is kept have them)'
      : 'The run checkpoint holds no classifier weights (was it a classification run?)',
  )
}

/**
 * A finished classification run's classifier built again from its last checkpoint (its best-validation
 * weights), in eval mode, with what its input needs: the run's input size and red-channel choice, the
 * project's classes in order and its label mode. The one place saliency and prediction rebuild it.
 */
export interface RestoredClassifier {
  run: RunRow
  net: ClassifierNet
  backbone: ClassifierBackbone
  size: number
  redChannel: boolean
  classes: ClassDef[]
  kind: LabelKind
  dispose(): void
}

/** A finished classification run and its config; a clear error for anything else. `purpose` ends the messages. */
export function finishedClassificationRun(
  project: Project,
  runId: number,
  purpose: string,
): { run: RunRow; config: RunConfig } {
  const run = getRun(project, runId)
  if (run.task !== 'classification') throw new Error(`Run ${run.id} is a ${run.task} run, not classification`)
  if (run.status !== 'succeeded') throw new Error(`Run ${run.id} has not finished (status ${run.status})`)
  if (!run.checkpointBlob) throw new Error(`Run ${run.id} kept no checkpoint to ${purpose}`)
  return { run, config: run.config as RunConfig }
}

export function loadClassifier(
  project: Project,
  runId: number,
  opts: { network?: 'cnn' | 'vit'; purpose: string },
): RestoredClassifier {
  const { run, config } = finishedClassificationRun(project, runId, opts.purpose)
  const network = opts.network ?? 'cnn'
  if (network === 'vit' && config.method !== 'cass')
    throw new Error(
      `Run ${run.id} is a ${config.method} run: only CASS runs have a second (Transformer) network`,
    )
  const method = findMethod('classification', config.method).method
  const h = runHyper(method, config.preset, config.overrides)
  const backbone = checkBackbone(String(network === 'vit' ? h.vitBackbone : (h.backbone ?? h.cnnBackbone)))
  const size = Number(h.imageSize)
  const classes = listClasses(project)
  const net = buildClassifier({ backbone, classes: classes.length, imageSize: size, seed: 0 })
  try {
    const weights = classifierWeights(decodeCheckpoint(project.blobs.get(run.checkpointBlob!)).state, network)
    for (const [name, slot] of net.stateDict()) {
      const saved = weights[name]
      if (!saved || saved.shape.join() !== slot.value.shape.join())
        throw new Error(
          `Run ${run.id}'s checkpoint does not fit a ${backbone} classifier of ${classes.length} classes (tensor ${name}): were classes added since it trained?`,
        )
      const t = tf.tensor(saved.values, saved.shape, slot.value.dtype)
      slot.assign(t)
      t.dispose()
    }
    net.train(false)
  } catch (e) {
    net.dispose()
    throw e
  }
  return {
    run,
    net,
    backbone,
    size,
    redChannel: Boolean(h.redChannel),
    classes,
    kind: labelMode(project) === 'multi-label' ? 'multi-label' : 'multi-class',
    dispose: () => net.dispose(),
  }
}
