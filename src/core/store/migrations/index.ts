import type { Migration } from '../migration'
import { initial } from './001_initial'
import { predictions } from './002_predictions'
import { activeSelection } from './003_active_selection'
import { slideInfo } from './004_slide_info'
import { pretrainedBackbones } from './005_pretrained_backbones'
import { maskClasses } from './006_mask_classes'
import { revisionRuns } from './007_revision_runs'
import { fractionUnits } from './008_fraction_units'
import { experiments } from './009_experiments'
import { runPages } from './010_run_pages'
import { predictionUncertainty } from './011_prediction_uncertainty'
import { predictionProbabilities } from './012_prediction_probabilities'
import { tiledMaskRevisions } from './013_tiled_mask_revisions'
import { labelPredictions } from './014_label_predictions'
import { reviewedMasks } from './015_reviewed_masks'

// Numbered and append-only: a released migration is never edited, only followed by a new one.
export const migrations: readonly Migration[] = [
  initial,
  predictions,
  activeSelection,
  slideInfo,
  pretrainedBackbones,
  maskClasses,
  revisionRuns,
  fractionUnits,
  experiments,
  runPages,
  predictionUncertainty,
  predictionProbabilities,
  tiledMaskRevisions,
  labelPredictions,
  reviewedMasks,
]
