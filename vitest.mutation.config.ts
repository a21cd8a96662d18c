import { defineConfig } from 'vitest/config'

// The tests StrykerJS (stryker.config.mjs) measures: those written to catch a wrong loss, score, schedule,
// split or label fraction. Vitest's "related" would pull in every training test (every method imports
// the optimiser configuration), and the training tests (learningSignal.test.ts) take seconds per
// mutant: hours for the 700 mutants on two cores.
export default defineConfig({
  test: {
    include: [
      'src/core/data/splits.test.ts',
      'src/core/data/labelledSet.test.ts',
      'src/core/data/splitProject.test.ts',
      'src/core/train/labelledSetIdentity.test.ts',
      'src/core/engine/schedule/schedule.test.ts',
      'src/core/engine/optimizerConfig.test.ts',
      'src/core/eval/segmentationScores.test.ts',
      'src/core/methods/segmentation/losses.test.ts',
      'src/core/methods/segmentation/classWeightedCrossEntropy.test.ts',
      'src/core/methods/segmentation/crossTeachingWeight.test.ts',
      'src/core/methods/segmentation/crossTeachingLoss.test.ts',
      'src/core/methods/segmentation/picieLoss.test.ts',
      'src/core/methods/classification/dinoLoss.test.ts',
      'src/core/methods/classification/cassLoss.test.ts',
      'src/core/methods/classification/clipGradients.test.ts',
      'src/core/models/nn/euclideanNorm.test.ts',
      'src/core/methods/classification/classificationLoss.test.ts',
      'src/core/eval/classificationScores.test.ts',
      'src/core/eval/trivialAnswer.test.ts',
      'src/core/eval/experimentStatistics.test.ts',
    ],
    setupFiles: ['tests/setup/quietTfjs.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
