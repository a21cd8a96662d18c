// Mutation testing (npm run test:mutation, not part of npm test): StrykerJS changes the code under test
// one small edit at a time (a flipped sign, a dropped term, a changed constant) and reruns the tests
// that cover it; a mutant that no test notices "survives". Scope: the losses and their assembly, the norms under them and DINO's gradient clipping, the
// segmentation and classification scores, the schedules, the label-fraction and split code, and the
// experiment statistics that say whether one method beats another.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // A mutant in module-level code (a preset's constants) would rerun every test: reported as ignored.
  ignoreStatic: true,
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/core/data/labelFraction.ts',
    'src/core/data/labelledSet.ts',
    'src/core/data/randomSplit.ts',
    'src/core/data/splitProject.ts',
    'src/core/engine/schedule/cosineAnnealing.ts',
    'src/core/engine/schedule/polyDecay.ts',
    'src/core/engine/schedule/stepDecay.ts',
    'src/core/engine/schedule/warmupCosine.ts',
    'src/core/engine/optimizerConfig.ts',
    'src/core/methods/segmentation/crossTeachingWeight.ts',
    'src/core/methods/segmentation/crossTeachingLoss.ts',
    'src/core/methods/segmentation/picieLoss.ts',
    'src/core/methods/segmentation/losses.ts',
    'src/core/methods/segmentation/classWeightedCrossEntropy.ts',
    'src/core/eval/segmentationScores.ts',
    'src/core/methods/classification/dinoLoss.ts',
    'src/core/methods/classification/cassLoss.ts',
    'src/core/methods/classification/clipGradients.ts',
    'src/core/models/nn/euclideanNorm.ts',
    'src/core/methods/classification/focalLoss.ts',
    'src/core/methods/classification/classificationLoss.ts',
    'src/core/eval/classificationScores.ts',
    'src/shared/trivialAnswer.ts',
    'src/core/eval/experimentStatistics.ts',
  ],
  // Two cores are shared: one mutant at a time; messages name the surviving mutants per file.
  concurrency: 1,
  reporters: ['clear-text', 'progress'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: ['out', 'release', 'test-output', 'dist', '.vitest-tmp', 'resources', 'reports'],
  tempDirName: '.stryker-tmp',
  timeoutMS: 60_000,
}
