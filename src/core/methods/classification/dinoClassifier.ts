import { inPhase } from '../trainingPhase'
import { FINE_TUNING_STAGE, PRETRAINING_STAGES } from '../../../shared/hyperparameters'
import { addPrefix, stripPrefix } from '../../engine/statePrefix'
import type { TrainState } from '../../engine/trainState'
import { startClassifierRun } from './classifierRun'
import { resolveHyper, type Hyper, type Method, type Preset, type TrainContext } from '../method'
import type { ClassificationData } from './classificationData'
import { BACKBONES, checkBackbone } from './classifierNet'
import { pretrainDino } from './dino'
import { dinoDefaults, type DinoPreset } from './dinoPresets'
import { fineTune, fineTuneDefaults } from './fineTune'
import { pretrainOnce } from './pretrainedBackbone'
import { classificationInputDefaults } from './supervisedClassifier'
import { pretrainingImages } from './unlabelledImages'

/**
 * DINO as the paper runs it (section 3.1): pretrain a backbone on every training image without labels
 * (100 epochs), then fine-tune it with labels at the run's label fraction (50 epochs). The pretraining
 * is stored once per backbone, recipe, seed and training images and reused by every label fraction.
 * Settings: fine-tuning's own names, DINO's under `dino.`, and the recipe in `dinoPreset` (official: the
 * facebookresearch/dino defaults; s4mi: lucidrains/vit-pytorch as S4MI ran it).
 */
export function dinoClassifierDefaults(
  preset: Preset,
  dinoPreset: DinoPreset = 'official',
  backbone?: string,
): Hyper {
  const input = classificationInputDefaults(preset)
  const { dinoPreset: recipe, ...pretraining } = dinoDefaults(
    preset,
    dinoPreset,
    backbone ?? String(input.backbone),
  )
  return {
    ...input,
    dinoPreset: recipe,
    ...addPrefix(pretraining, 'dino.'),
    ...fineTuneDefaults(preset),
  }
}

/** The fine-tuning settings among a method's: those fineTuneDefaults names. */
export function fineTuneSettings(h: Hyper, preset: Preset): Hyper {
  const names = fineTuneDefaults(preset)
  return Object.fromEntries(Object.entries(h).filter(([k]) => k in names))
}

/** The defaults of a run that chose `chosen`: its recipe and backbone decide the rest (DINO's convnet recipe for a ResNet). */
function dinoRunDefaults(preset: Preset, chosen: Partial<Hyper> = {}): Hyper {
  const backbone = chosen.backbone === undefined ? undefined : String(chosen.backbone)
  return dinoClassifierDefaults(preset, (chosen.dinoPreset ?? 'official') as DinoPreset, backbone)
}

export function dinoClassifier(): Method<ClassificationData> {
  return {
    task: 'classification',
    name: 'dino',
    defaults: dinoRunDefaults,
    async train(ctx: TrainContext<ClassificationData>) {
      const dinoPreset = (ctx.hyper?.dinoPreset ?? 'official') as DinoPreset
      const h = resolveHyper(dinoRunDefaults(ctx.preset, ctx.hyper), ctx.hyper, 'DINO')
      const backbone = checkBackbone(String(h.backbone))
      const { notes, log } = startClassifierRun(ctx, h.imageSize)
      const settings = { dinoPreset, imageSize: Number(h.imageSize), ...stripPrefix(h, 'dino.') }
      let history: Record<string, number[]> = {}
      // Two stages: pretraining (or its reused backbone), then fine-tuning.
      const phase = { count: 2, epochsBefore: 0 }
      const pretrained = await pretrainOnce(
        ctx.backbones,
        {
          method: 'dino',
          backbone,
          preset: ctx.preset,
          seed: ctx.seed,
          datasetVersion: ctx.data.trainImagesVersion,
          settings,
        },
        async (checkpoint) => {
          const r = await pretrainDino({
            images: pretrainingImages(ctx.data),
            backbone,
            preset: ctx.preset,
            seed: ctx.seed,
            hyper: { dinoPreset, ...stripPrefix(h, 'dino.') },
            onProgress: inPhase(ctx.onProgress, { ...phase, name: PRETRAINING_STAGES.dino, index: 0 }),
            signal: ctx.signal,
            checkpoint,
            machine: ctx.machine,
          })
          history = r.history
          return { epoch: Number(r.hyper.epochs), state: r.state as TrainState }
        },
      )
      log(
        pretrained.reused
          ? `${BACKBONES[backbone].label}: DINO (${dinoPreset}) backbone ${pretrained.id} reused, no pretraining`
          : `${BACKBONES[backbone].label}: DINO (${dinoPreset}) pretraining finished`,
      )
      const tuned = await fineTune({
        data: ctx.data,
        backbone,
        start: {
          kind: 'pretrained',
          state: pretrained.state,
          from: `DINO (${dinoPreset}) backbone${pretrained.id != null ? ` ${pretrained.id}` : ''}`,
        },
        hyper: fineTuneSettings(h, ctx.preset),
        seed: ctx.seed,
        onProgress: inPhase(ctx.onProgress, {
          ...phase,
          name: FINE_TUNING_STAGE,
          index: 1,
          epochsBefore: Number(h['dino.epochs']),
        }),
        signal: ctx.signal,
        checkpoint: ctx.checkpoint,
        log,
      })
      // The pretraining's last-epoch collapse monitors, when it ran in this run.
      const monitors = Object.fromEntries(
        ['dinoLoss', 'teacherEntropy', 'klToCenter']
          .filter((k) => history[k]?.length)
          .map((k) => [`pretrain${k[0].toUpperCase()}${k.slice(1)}`, history[k].at(-1)!]),
      )
      return {
        hyper: h,
        metrics: { ...tuned.metrics, ...monitors },
        predict: (images) => tuned.predict(images),
        dispose: () => tuned.dispose(),
        notes,
      }
    },
  }
}
