import type { TrainState } from '../../engine/trainState'
import { resolveHyper, type Hyper, type Method, type Preset, type TrainContext } from '../method'
import { cassDefaults, pretrainCass } from './cass'
import type { ClassificationData } from './classificationData'
import { checkBackbone } from './classifierNet'
import { fineTuneSettings, underPrefix, withPrefix } from './dinoClassifier'
import { fineTune, fineTuneDefaults } from './fineTune'
import { runPhases } from './phasedCheckpoint'
import { pretrainOnce } from './pretrainedBackbone'
import { addPrefix, stripPrefix } from './statePrefix'
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
    ...withPrefix(cassDefaults(preset), 'cass.'),
    ...fineTuneDefaults(preset),
    loss: 'focal',
    classWeights: 'cass',
    patience: 5,
  }
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
      if (ctx.data.size !== Number(h.imageSize))
        throw new Error(`The images were loaded at ${ctx.data.size} px, the run asks for ${h.imageSize}`)
      const notes: string[] = []
      const log = (line: string) => {
        notes.push(line)
        ctx.log?.(line)
      }
      const pretrained = await pretrainOnce(
        ctx.backbones,
        {
          method: 'cass',
          backbone: `${cnnBackbone}+${vitBackbone}`,
          preset: ctx.preset,
          seed: ctx.seed,
          datasetVersion: ctx.data.trainImagesVersion,
          settings: { imageSize: Number(h.imageSize), ...underPrefix(h, 'cass.') },
        },
        async (checkpoint) => {
          const r = await pretrainCass({
            images: pretrainingImages(ctx.data),
            cnn: cnnBackbone,
            vit: vitBackbone,
            preset: ctx.preset,
            seed: ctx.seed,
            hyper: underPrefix(h, 'cass.'),
            onProgress: ctx.onProgress,
            signal: ctx.signal,
            checkpoint,
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
          onProgress: ctx.onProgress,
          signal: ctx.signal,
          checkpoint: phases.hooks(0, () => ({})),
          log,
        })
        vitMetrics = vit.metrics
        vit.dispose()
      }
      const cnn = await fineTune({
        data: ctx.data,
        backbone: cnnBackbone,
        start: { kind: 'pretrained', state: stripPrefix(pretrained.state, 'cnn.'), from: from('CNN') },
        hyper: tuning,
        seed: ctx.seed,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
        checkpoint: phases.hooks(1, () =>
          Object.fromEntries(Object.entries(vitMetrics).map(([k, v]) => [`vitScore.${k}`, scalar(v)])),
        ),
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
