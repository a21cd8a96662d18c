import type { DinoRecipe } from '../../../shared/dinoRecipes'
import type { Hyper, Preset } from '../method'
import {
  LUCIDRAINS_MULTI_CROP,
  OFFICIAL_MULTI_CROP,
  scaledMultiCrop,
  type MultiCropSettings,
} from './multiCrop'

/**
 * DINO's settings. Two presets, because the paper's code and DINO's authors differ (METHODS.md, "DINO"):
 *  - official: facebookresearch/dino main_dino.py defaults;
 *  - s4mi: lucidrains/vit-pytorch `Dino` as S4MI (via CASS's repository) ran it.
 * `preset` quick shrinks sizes and epochs only; the recipe stays the chosen one.
 */

export type DinoPreset = DinoRecipe

/** The backbones DINO's authors train with their convnet recipe (README, "ResNet-50 and other convnets"). */
export const isConvnetBackbone = (backbone: string) => backbone.startsWith('resnet')

/**
 * The settings DINO's recipe gives `backbone` (absent: the ViT's). The official recipe has two forms: its
 * defaults for ViTs, and the convnet run its README and released args give for ResNet-50.
 */
export function dinoDefaults(preset: Preset, dinoPreset: DinoPreset = 'official', backbone?: string): Hyper {
  const quick = preset === 'quick'
  const common = {
    dinoPreset,
    // Paper section 3.1: 100 epochs of pretraining (also DINO's default).
    epochs: quick ? 4 : 100,
    // Quick-preset head: small enough to train in seconds; the paper preset keeps each reference's.
    headHidden: quick ? 64 : 2048,
    headBottleneck: quick ? 32 : 256,
    headLayers: 3,
    centerMomentum: 0.9,
    teacherTemp: 0.04,
    // Gradient accumulation (not in either reference, which run on GPUs): 0 = as many micro-batches as
    // the backend's memory needs (sslMemoryPlan.ts), n > 0 = n.
    microBatches: 0,
  }
  if (dinoPreset === 'official') {
    return {
      ...common,
      // main_dino.py: --batch_size_per_gpu 64, --lr 5e-4 scaled by batch/256, --min_lr 1e-6,
      // --warmup_epochs 10, AdamW, --weight_decay 0.04 → --weight_decay_end 0.4, --clip_grad 3.0,
      // --freeze_last_layer 1, --momentum_teacher 0.996 (→ 1), --out_dim 65536, --norm_last_layer True,
      // --warmup_teacher_temp 0.04, --teacher_temp 0.04, --warmup_teacher_temp_epochs 0, student 0.1,
      // --local_crops_number 8, global scale 0.4–1, local 0.05–0.4, --drop_path_rate 0.1.
      batchSize: quick ? 8 : 64,
      optimizer: 'adamw',
      // Quick preset: DINO's 5e-4 × batch/256 is ~2e-5 at batch 8 and learns nothing in the few dozen
      // steps of a quick run, and momentum 0.996 assumes ~10⁵ iterations; 1e-3 unscaled and 0.99 learn
      // (the k-NN probe, sslProbeDino.test.ts). The paper preset keeps DINO's values.
      lr: quick ? 1e-3 : 5e-4,
      scaleLrByBatch: !quick,
      minLr: 1e-6,
      warmupEpochs: quick ? 1 : 10,
      weightDecay: 0.04,
      weightDecayEnd: 0.4,
      clipGrad: 3,
      freezeLastLayer: 1,
      momentumTeacher: quick ? 0.99 : 0.996,
      momentumTeacherEnd: 1,
      outDim: quick ? 256 : 65_536,
      normLastLayer: true,
      warmupTeacherTemp: 0.04,
      warmupTeacherTempEpochs: 0,
      studentTemp: 0.1,
      localCrops: quick ? 2 : 8,
      globalScaleMin: 0.4,
      localScaleMax: 0.4,
      dropPathRate: 0.1,
      // eval_linear.py / eval_knn.py read the teacher's backbone, and so does the paper preset. The quick
      // preset keeps the student: its teacher, at momentum 0.99 over a quick run's 50–150 steps, still
      // averages mostly early weights. k-NN gain over the random start after 12 epochs of the demo, 20
      // seeds, batch statistics: student +0.130 [0.078, 0.183], teacher +0.063 [0.028, 0.099]
      // (sslProbeDino.test.ts).
      keep: quick ? 'student' : 'teacher',
      ...(backbone && isConvnetBackbone(backbone) ? officialConvnetRecipe(quick) : {}),
    }
  }
  return {
    ...common,
    // lucidrains/vit-pytorch Dino defaults: student 0.9, teacher 0.04, both EMAs 0.9 (constant),
    // 2 global (0.5–1) + 2 local (0.05–0.4) crops at the full size, num_classes_K 65336, an MLP of
    // hidden 256. Its README trains with Adam 3e-4 and no schedule; batch 16 is CASS's. The trained
    // `net` it returns is the student's.
    batchSize: quick ? 8 : 16,
    optimizer: 'adam',
    lr: 3e-4,
    scaleLrByBatch: false,
    minLr: 3e-4,
    warmupEpochs: 0,
    weightDecay: 0,
    weightDecayEnd: 0,
    clipGrad: 0,
    freezeLastLayer: 0,
    momentumTeacher: 0.9,
    momentumTeacherEnd: 0.9,
    outDim: quick ? 256 : 65_336,
    headHidden: quick ? 64 : 256,
    headBottleneck: quick ? 64 : 256,
    normLastLayer: false,
    warmupTeacherTemp: 0.04,
    warmupTeacherTempEpochs: 0,
    studentTemp: 0.9,
    localCrops: 2,
    globalScaleMin: 0.5,
    localScaleMax: 0.4,
    dropPathRate: 0,
    keep: 'student',
  }
}

/**
 * DINO's ResNet-50 run (facebookresearch/dino README and its released dino_resnet50 args): `--optimizer sgd
 * --lr 0.03 --weight_decay 1e-4 --weight_decay_end 1e-4 --global_crops_scale 0.14 1 --local_crops_scale
 * 0.05 0.14`, everything else at main_dino.py's defaults. SGD has momentum 0.9 and couples its weight
 * decay to the gradient (torch.optim.SGD), unlike AdamW's decoupled decay. The rate is scaled by batch/256
 * as main_dino.py does; the quick preset keeps 0.03 unscaled (scaled, a batch of 8 would get 1e-3).
 */
function officialConvnetRecipe(quick: boolean): Hyper {
  return {
    optimizer: 'sgd',
    lr: 0.03,
    scaleLrByBatch: !quick,
    weightDecay: 1e-4,
    weightDecayEnd: 1e-4,
    globalScaleMin: 0.14,
    localScaleMax: 0.14,
  }
}

/** The multi-crop settings a run's hyperparameters describe, fitted to its image size. */
export function dinoCropSettings(h: Hyper, imageSize: number, patchMultiple: number): MultiCropSettings {
  const base = h.dinoPreset === 'official' ? OFFICIAL_MULTI_CROP : LUCIDRAINS_MULTI_CROP
  const scaled = scaledMultiCrop(base, imageSize, patchMultiple)
  return {
    ...scaled,
    localCrops: Number(h.localCrops),
    globalScale: [Number(h.globalScaleMin), 1],
    localScale: [0.05, Number(h.localScaleMax)],
  }
}
