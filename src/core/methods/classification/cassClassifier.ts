import { inPhase } from '../trainingPhase'
import { PRETRAINING_STAGES } from '../../../shared/hyperparameters'
import { startClassifierRun } from './classifierRun'
import type { TrainState } from '../../engine/trainState'
import type { SafetensorsFile } from '../../models/nn/safetensors'
import { loadStateDict } from '../../models/nn/weights'
import { ResNet } from '../../models/resnet/resnet'
import type { VisionTransformer } from '../../models/vit/visionTransformer'
import { loadVitWeights } from '../../models/vit/vitWeights'
import {
  resolveHyper,
  type Hyper,
  type ImagenetWeights,
  type Method,
  type Preset,
  type TrainContext,
} from '../method'
import { cassDefaults, pretrainCass } from './cass'
import type { ClassificationData } from './classificationData'
import { BACKBONES, checkBackbone, classifierImagenetFile } from './classifierNet'
import { fineTuneSettings } from './dinoClassifier'
import { fineTune, fineTuneDefaults } from './fineTune'
import { runPhases } from './phasedCheckpoint'
import { pretrainOnce } from './pretrainedBackbone'
import { captureNetState } from '../netState'
import { addPrefix, stripPrefix } from '../../engine/statePrefix'
import { pretrainingImages } from './unlabelledImages'

/**
 * CASS as the paper runs it (section 3.1, Figure 1): a CNN and a Transformer pretrained together on every
 * training image without labels (stored once and reused by every label fraction), then each fine-tuned
 * on its own. Fine-tuning follows CASS's notebook (METHODS.md): sigmoid focal loss (α 1, γ 2) with class
 * weights from the class counts scaled to [0.2, 1], Adam 3e-4 with a cosine schedule, early stop after 5
 * rises of the validation loss, the best validation checkpoint kept. Both networks' scores are reported:
 * the CNN's under the usual names, the Transformer's with a `vit` prefix (vitTestF1Macro, …).
 */
export function cassClassifierDefaults(preset: Preset): Hyper {
  const paper = preset === 'paper'
  return {
    imageSize: paper ? 224 : 32,
    redChannel: false,
    cnnBackbone: paper ? 'resnet50' : 'resnet_tiny',
    vitBackbone: paper ? 'vit_b16' : 'vit_tiny',
    ...addPrefix(cassDefaults(preset), 'cass.'),
    ...fineTuneDefaults(preset),
    loss: 'focal',
    classWeights: 'cass',
    patience: 5,
  }
}

function loadImagenet(net: ResNet | VisionTransformer, weights: SafetensorsFile, withHead: boolean): void {
  const head = (name: string) => name.startsWith('fc.') || name.startsWith('heads.')
  const ignore = (name: string) => (!withHead && head(name)) || name.endsWith('num_batches_tracked')
  if (net instanceof ResNet) loadStateDict(net, weights, { strict: false, ignore })
  else loadVitWeights(net, weights, { strict: false, ignore, resizePosEmbedding: true })
}

const scalar = (v: number) => ({ shape: [1], values: Float32Array.of(v) })

export function cassClassifier(): Method<ClassificationData> {
  return {
    task: 'classification',
    name: 'cass',
    defaults: cassClassifierDefaults,
    async train(ctx: TrainContext<ClassificationData>) {
      const h = resolveHyper(cassClassifierDefaults(ctx.preset), ctx.hyper, 'CASS')
      const cnnBackbone = checkBackbone(String(h.cnnBackbone))
      const vitBackbone = checkBackbone(String(h.vitBackbone))
      // CASS's premise is two architectures: a CNN and a Transformer (the paper: ResNet-50 + ViT-B/16).
      if (BACKBONES[cnnBackbone].kind !== 'cnn' || BACKBONES[vitBackbone].kind !== 'transformer')
        throw new Error(
          `CASS pairs a CNN with a Transformer; cnnBackbone '${cnnBackbone}' is a ${BACKBONES[cnnBackbone].kind}, vitBackbone '${vitBackbone}' a ${BACKBONES[vitBackbone].kind}`,
        )
      const { notes, log } = startClassifierRun(ctx, h.imageSize)
      // The paper starts both CASS networks from ImageNet (Figure 1), heads included: CASS compares the
      // two 1000-class outputs. Only the user's imported files (nothing is downloaded); none for the small
      // presets or when not imported, and the network stays random.
      // Found, not read: the files name the pretraining's key, and are read only if it has to run.
      const found = {
        cnn: await classifierImagenetFile(cnnBackbone, ctx.imagenetWeights),
        vit: await classifierImagenetFile(vitBackbone, ctx.imagenetWeights),
      }
      const imagenet = { cnn: found.cnn?.file ?? null, vit: found.vit?.file ?? null }
      for (const role of ['cnn', 'vit'] as const) {
        const label = BACKBONES[role === 'cnn' ? cnnBackbone : vitBackbone].label
        log(
          imagenet[role]
            ? `${label}: CASS starts from ImageNet weights ${imagenet[role]}`
            : `${label}: no ImageNet weights imported, CASS starts from random weights (the paper starts from ImageNet)`,
        )
      }
      // Three stages: pretraining (or its reused backbones), the Transformer's fine-tuning, the CNN's.
      const phase = { count: 3, epochsBefore: 0 }
      const pretrained = await pretrainOnce(
        ctx.backbones,
        {
          method: 'cass',
          backbone: `${cnnBackbone}+${vitBackbone}`,
          preset: ctx.preset,
          seed: ctx.seed,
          datasetVersion: ctx.data.trainImagesVersion,
          settings: {
            imageSize: Number(h.imageSize),
            imagenetCnn: imagenet.cnn ?? 'none',
            imagenetVit: imagenet.vit ?? 'none',
            ...stripPrefix(h, 'cass.'),
          },
        },
        async (checkpoint) => {
          const start: Record<'cnn' | 'vit', ImagenetWeights | null> = {
            cnn: found.cnn ? await found.cnn.load() : null,
            vit: found.vit ? await found.vit.load() : null,
          }
          const r = await pretrainCass({
            images: pretrainingImages(ctx.data),
            cnn: cnnBackbone,
            vit: vitBackbone,
            preset: ctx.preset,
            seed: ctx.seed,
            hyper: stripPrefix(h, 'cass.'),
            initialise: (role, net) => {
              const weights = start[role]?.weights
              if (weights) loadImagenet(net, weights, Number(h['cass.outDim']) === 1000)
              return weights != null
            },
            onProgress: inPhase(ctx.onProgress, { ...phase, name: PRETRAINING_STAGES.cass, index: 0 }),
            signal: ctx.signal,
            checkpoint,
            machine: ctx.machine,
          })
          const state: TrainState = { ...addPrefix(r.cnn.state, 'cnn.'), ...addPrefix(r.vit.state, 'vit.') }
          return { epoch: Number(r.cnn.hyper.epochs), state }
        },
      )
      log(
        pretrained.reused
          ? `CASS backbones ${pretrained.id} reused, no pretraining`
          : 'CASS pretraining (CNN + Transformer) finished',
      )
      const from = (role: string) =>
        `CASS ${role}${pretrained.id != null ? ` (backbones ${pretrained.id})` : ''}`
      const tuning = fineTuneSettings(h, ctx.preset)
      // The two fine-tunings share the run's checkpoint: the Transformer's first, carrying its scores on,
      // then the CNN's, the one left to predict.
      const phases = await runPhases(ctx.checkpoint, ['vitFineTune', 'cnnFineTune'])
      let vitMetrics = Object.fromEntries(
        Object.entries(stripPrefix(phases.carried, 'vitScore.')).map(([k, v]) => [k, v.values[0]]),
      )
      // The fine-tuned Transformer's (best-validation) weights ride along with the CNN's phase, so the
      // run's checkpoint keeps both networks (saliency of either; runSaliency reads carry.vitNet.).
      let vitWeights: TrainState = Object.fromEntries(
        Object.entries(phases.carried).filter(([k]) => k.startsWith('vitNet.')),
      )
      if (phases.reached < 1) {
        const vit = await fineTune({
          data: ctx.data,
          backbone: vitBackbone,
          start: {
            kind: 'pretrained',
            state: stripPrefix(pretrained.state, 'vit.'),
            from: from('Transformer'),
          },
          hyper: tuning,
          seed: ctx.seed + 1,
          onProgress: inPhase(ctx.onProgress, {
            ...phase,
            name: 'Transformer fine-tuning',
            index: 1,
            epochsBefore: Number(h['cass.epochs']),
          }),
          signal: ctx.signal,
          checkpoint: phases.hooks(0, () => ({})),
          log,
        })
        vitMetrics = vit.metrics
        vitWeights = captureNetState({ vitNet: vit.net })
        vit.dispose()
      }
      const cnn = await fineTune({
        data: ctx.data,
        backbone: cnnBackbone,
        start: { kind: 'pretrained', state: stripPrefix(pretrained.state, 'cnn.'), from: from('CNN') },
        hyper: tuning,
        seed: ctx.seed,
        onProgress: inPhase(ctx.onProgress, {
          ...phase,
          name: 'CNN fine-tuning',
          index: 2,
          epochsBefore: Number(h['cass.epochs']) + Number(tuning.epochs),
        }),
        signal: ctx.signal,
        checkpoint: phases.hooks(1, () => ({
          ...Object.fromEntries(Object.entries(vitMetrics).map(([k, v]) => [`vitScore.${k}`, scalar(v)])),
          ...vitWeights,
        })),
        log,
      })
      const vitNamed = Object.fromEntries(
        Object.entries(vitMetrics).map(([k, v]) => [`vit${k[0].toUpperCase()}${k.slice(1)}`, v]),
      )
      return {
        hyper: h,
        metrics: { ...cnn.metrics, ...vitNamed },
        predict: (images) => cnn.predict(images),
        dispose: () => cnn.dispose(),
        notes,
      }
    },
  }
}
