import type { LabelSource } from '../../shared/types'
import { Command, InvalidArgumentError, Option } from 'commander'
import path from 'node:path'
import type { MeanConfidenceInterval } from '../../core/eval/meanConfidenceInterval'
import { MIN_SEEDS_FOR_INTERVAL } from '../../core/eval/experimentStatistics'
import { findEntry, listMethods } from '../../core/methods/catalogue'
import { validateTrainRequest, type TrainRequest } from '../../core/methods/validateTrainRequest'
import type { Hyper } from '../../core/methods/method'
import { SSL4MIS_OPTIMIZER } from '../../core/engine/optimizerConfig'
import {
  backboneOverrides,
  CASS_BACKBONE_PAIRS,
  cassBackboneOverrides,
  CLASSIFIER_BACKBONES,
} from '../../shared/classifierBackbones'
import { exportRunPredictions } from '../../core/methods/segmentation/predictionExport'
import { runTrainingSeries, type SeriesEvent, type SeriesResult } from '../../core/train/series'
import { closeProject, openProject } from '../../core/store/project'
import { listMaskClasses } from '../../core/store/maskClasses'
import { classScores } from '../../shared/classMetric'
import type { BackendChoice } from '../../core/engine/backend/selectBackend'
import { forkLauncher } from '../../core/train/workerLauncher'
import { describeFraction, percentToFraction } from './labelFractionOption'
import { backendOption } from './backendOption'
import { threadsOption } from './threadsOption'
import { chooseTrainingBackend } from './trainingBackend'
import { parseSeeds } from './seedsOption'
import { cancelOnSigint } from './sigintCancel'
import { trivialAnswer } from '../../shared/trivialAnswer'
import { formatDuration } from '../../shared/formatDuration'
import { trainingTermLabel } from '../../shared/trainingTerms'
import { DINO_RECIPES, type DinoRecipe } from '../../shared/dinoRecipes'

interface TrainOptions {
  task: 'segmentation' | 'classification'
  backbone?: string
  dinoPreset?: DinoRecipe
  method: string
  fraction?: FractionChoice[]
  labels: LabelSource
  seeds: number
  preset: 'quick' | 'paper'
  optimizer: 'paper' | 'ssl4mis'
  reportSwin?: boolean
  set: Partial<Hyper>
  backend?: BackendChoice
  threads?: number
  json?: boolean
  predictionsOut?: string
}

type FractionChoice = number | 'user' | 'active'
const parseFraction = percentToFraction('--fraction', ['user', 'active'] as const)

/** One fraction or a comma list (10,30,50,70,100): a series per fraction, as the paper's tables. */
function parseFractions(v: string): FractionChoice[] {
  return v.split(',').map((f) => parseFraction(f.trim()))
}

/** --set name=value, repeatable: numbers and booleans are parsed, anything else stays a string. */
export function parseSet(v: string, previous: Partial<Hyper>): Partial<Hyper> {
  // A phase's settings are prefixed: cass.epochs, dino.lr (pretraining) beside epochs (fine-tuning).
  const m = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)=(.+)$/.exec(v)
  if (!m) throw new InvalidArgumentError(`--set takes name=value, got '${v}'`)
  const raw = m[2]
  const value =
    raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw
  return { ...previous, [m[1]]: value }
}

export function formatInterval(s: MeanConfidenceInterval, digits = 3): string {
  if (s.n < 2) return `${s.mean.toFixed(digits)} (1 seed, no interval)`
  // As the results pane marks it (†): at two seeds the t half width is given, but it says little.
  const few = s.n < MIN_SEEDS_FOR_INTERVAL ? `; not meaningful below ${MIN_SEEDS_FOR_INTERVAL} seeds` : ''
  return `${s.mean.toFixed(digits)} ± ${s.halfWidth.toFixed(digits)} (95 % CI, n = ${s.n}${few})`
}

/**
 * Segmentation's scores over the seeds. The paper's figure first: TP, FP, FN summed over the test set (DEDL);
 * with several mask classes, per class and then their mean, each class named. The alternatives after it.
 */
export function segmentationSummary(result: SeriesResult): string[] {
  const s = result.summary
  const perClass = classScores(s, 'test')
  const lines = [
    perClass.length
      ? '  dataset-level (TP, FP, FN summed over the test set per mask class), mean over mask classes:'
      : '  dataset-level (TP, FP, FN summed over the test set, as the paper reports):',
    `  IoU  ${formatInterval(s.testIou)}`,
    `  Dice ${formatInterval(s.testDice)}`,
    ...perClass.map(
      (c) =>
        `    ${c.className}: IoU ${c.iou ? formatInterval(c.iou) : '—'} · Dice ${c.dice ? formatInterval(c.dice) : '—'}`,
    ),
  ]
  if (s.testIouPerImage) lines.push(`  per-image mean IoU ${formatInterval(s.testIouPerImage)}`)
  if (s.testMeanIouTwoClass)
    lines.push(`  mIoU of background and foreground ${formatInterval(s.testMeanIouTwoClass)}`)
  if (s.testMeanIouWithBackground)
    lines.push(`  mIoU of background and every mask class ${formatInterval(s.testMeanIouWithBackground)}`)
  if (s.swinTestIou) lines.push(`  Swin-UNet IoU (dataset-level) ${formatInterval(s.swinTestIou)}`)
  return lines
}

/** Classification's headline scores over the seeds: F1 (both averagings, named), recall, per class. */
export function classificationSummary(result: SeriesResult): string[] {
  const s = result.summary
  // The test split is the project's, the same for every seed: the first run's counts give the answer.
  const trivial = result.runs[0] ? trivialAnswer(result.runs[0].metrics) : null
  const lines = [
    `  F1 (macro)        ${formatInterval(s.testF1Macro)}`,
    ...(trivial ? [`  trivial answer    F1 (macro) ${trivial.f1Macro.toFixed(3)}, ${trivial.answer}`] : []),
    `  F1 (weighted)     ${formatInterval(s.testF1Weighted)}`,
    `  recall (macro)    ${formatInterval(s.testRecallMacro)}`,
    `  precision (macro) ${formatInterval(s.testPrecisionMacro)}`,
  ]
  for (const name of Object.keys(s).filter((k) => k.startsWith('testF1.'))) {
    lines.push(`  F1 ${name.slice('testF1.'.length)}: ${formatInterval(s[name])}`)
  }
  // CASS scores both of its networks: the CNN under the usual names, the Transformer's as vit….
  if (s.vitTestF1Macro) {
    lines.push(`  Transformer F1 (macro)     ${formatInterval(s.vitTestF1Macro)}`)
    lines.push(`  Transformer recall (macro) ${formatInterval(s.vitTestRecallMacro)}`)
  }
  return lines
}

function progressLine(e: Extract<SeriesEvent, { type: 'progress' }>): string | null {
  const p = e.progress
  // A stage of its own (predicting the project's images): its words and the time left, no epoch.
  if (p.startsStage)
    return `  seed ${e.seed} · ${p.message}${p.etaSeconds !== undefined ? ` · ${formatDuration(p.etaSeconds)} left` : ''}`
  if (!p.losses || p.epoch === undefined) return null
  const losses = Object.entries(p.losses)
    .map(([k, v]) => `${trainingTermLabel(k)} ${Number(v).toPrecision(3)}`)
    .join(' · ')
  const speed = p.imagesPerSecond ? ` · ${p.imagesPerSecond.toFixed(1)} img/s` : ''
  return `  seed ${e.seed} · ${p.phase ? `${p.phase.name} · ` : ''}epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.steps} · ${losses} · lr ${p.lr?.toPrecision(2)}${speed}`
}

/** The catalogue in the help: each task's methods, what they are, and which this version trains. */
function methodsHelp(): string {
  const lines = ['', 'Methods (from the method catalogue):']
  for (const m of listMethods()) {
    const state = m.available ? '' : ' (not in this version)'
    lines.push(`  --task ${m.task} --method ${m.id}${state}`)
    lines.push(`      ${m.name}, ${m.kind}: ${m.description}`)
  }
  return lines.join('\n')
}

/** One line per seed: IoU and Dice for segmentation (and each mask class's), every final metric otherwise. */
function runLine(metrics: Record<string, number>): string {
  const perClass = classScores(metrics, 'test')
  if (Number.isFinite(metrics.testIou) && Number.isFinite(metrics.testDice))
    return [
      `IoU ${metrics.testIou.toFixed(3)} · Dice ${metrics.testDice.toFixed(3)} (dataset-level${perClass.length ? ', mean over mask classes' : ''})`,
      ...perClass.map((c) => `${c.className} IoU ${c.iou?.toFixed(3) ?? '—'}`),
    ].join(' · ')
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(' · ')
}

export function trainCommand(): Command {
  const methodIds = [...new Set(listMethods().map((m) => m.id))]
  return new Command('train')
    .description(
      'Train a method on a project over several seeds; prints the final scores (segmentation: IoU and Dice; classification: F1 and recall) as mean ± 95 % CI',
    )
    .argument('<project>', 'project folder')
    .addOption(
      new Option('--task <task>', 'what to train')
        .choices([...new Set(listMethods().map((m) => m.task))])
        .default('segmentation'),
    )
    .addOption(
      new Option('--method <method>', 'training method (listed below)')
        .choices(methodIds)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--backbone <backbone>',
        'classification: the network (resnet50, vit_b16; resnet_tiny, vit_tiny are small presets); CASS: a ' +
          'CNN + Transformer pair (resnet50+vit_b16 as in the paper); default by preset',
      ).choices([...CLASSIFIER_BACKBONES, ...CASS_BACKBONE_PAIRS]),
    )
    .addOption(
      new Option(
        '--dino-preset <preset>',
        `DINO's settings: ${DINO_RECIPES.map((r) => `${r.id} (${r.label})`).join(' or ')}`,
      ).choices(DINO_RECIPES.map((r) => r.id)),
    )
    .addHelpText('after', methodsHelp)
    .option(
      '--fraction <percent>',
      "percent of the training images that keep their labels, a list (10,30,50), 'user' (exactly what " +
        "was labelled) or 'active' (the labelled set chosen in the app; the default; PiCIE: 0)",
      parseFractions,
    )
    .addOption(
      new Option(
        '--labels <source>',
        "segmentation masks to train on: hand (drawn or imported by people; the default) or reviewed (also masks from accepted predictions); with --fraction active, the set's own",
      )
        .choices(['hand', 'reviewed'])
        .default('hand'),
    )
    .option('--seeds <n>', 'runs with seeds 0..n-1 (the paper uses 5)', parseSeeds, 1)
    .addOption(
      new Option('--preset <preset>', 'model and schedule size').choices(['quick', 'paper']).default('quick'),
    )
    .addOption(
      new Option(
        '--optimizer <setting>',
        "paper: Adam + cosine; ssl4mis: SGD 0.01 + poly (cross teaching's own)",
      )
        .choices(['paper', 'ssl4mis'])
        .default('paper'),
    )
    .option('--report-swin', "cross teaching: also score the Swin-UNet (the CNN's score is the one reported)")
    .addOption(
      new Option('--set <name=value>', 'override a hyperparameter, e.g. --set epochs=20 (repeatable)')
        .argParser(parseSet)
        .default({}, 'none'),
    )
    .addOption(backendOption('training backend'))
    .addOption(threadsOption())
    .option(
      '--predictions-out <folder>',
      "write each run's predicted masks as 0/255 PNGs to <folder>/<fraction>/seed-<n>/",
    )
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, o: TrainOptions) => {
      const classify = o.task === 'classification'
      if (!classify && (o.backbone || o.dinoPreset))
        throw new Error('--backbone and --dino-preset are for --task classification')
      if (classify && (o.method === 'cross-teaching' || o.method === 'picie'))
        throw new Error(
          `--method ${o.method} is a segmentation method; classification has supervised, dino and cass`,
        )
      if (!classify && (o.method === 'dino' || o.method === 'cass'))
        throw new Error(`--method ${o.method} is a classification method: add --task classification`)
      if (o.dinoPreset && o.method !== 'dino') throw new Error('--dino-preset goes with --method dino')
      const entry = findEntry(o.task, o.method)
      const fractions = o.fraction ?? [entry.usesLabels ? 'active' : 0]
      const describe = describeFraction
      const overrides: Partial<Hyper> = {
        ...(o.backbone
          ? o.method === 'cass'
            ? cassBackboneOverrides(o.backbone)
            : backboneOverrides(o.backbone)
          : {}),
        ...(o.dinoPreset ? { dinoPreset: o.dinoPreset } : {}),
        ...(o.optimizer === 'ssl4mis' ? SSL4MIS_OPTIMIZER : {}),
        ...(o.reportSwin ? { reportSwin: true } : {}),
        ...o.set,
      }
      // A misspelt setting or a fraction that does not fit is refused before the backend is chosen (which
      // takes a moment and prints a line): the series checks again, with the project, before any run.
      for (const labelFraction of fractions)
        validateTrainRequest({
          task: entry.task,
          method: o.method,
          labelFraction,
          labelSource: o.labels,
          seeds: o.seeds,
          preset: o.preset,
          overrides: overrides as TrainRequest['overrides'],
        })
      const { backend, log } = await chooseTrainingBackend(o)
      const project = openProject(dir)
      const sigint = cancelOnSigint()
      try {
        let lastLine = 0
        const results: { fraction: FractionChoice; result: SeriesResult }[] = []
        for (const fraction of fractions) {
          const result = await runTrainingSeries(
            project,
            {
              task: entry.task,
              method: o.method,
              labelFraction: fraction,
              labelSource: o.labels,
              seeds: o.seeds,
              preset: o.preset,
              overrides,
              signal: sigint.signal,
              backend: {
                name: backend.name,
                device: backend.device,
                warning: backend.warning ?? null,
                skipped: backend.skipped,
              },
              launch: forkLauncher,
            },
            (e) => {
              if (e.type === 'run-start') {
                log(
                  `Run ${e.runId}: ${o.method}, ${describe(fraction)}, seed ${e.seed} (${e.index + 1}/${e.total})`,
                )
              } else if (e.type === 'progress') {
                // A stage's last report always shows (an epoch's last step, or the predictions' last).
                const p = e.progress
                const last = p.steps !== undefined ? p.step === p.steps : p.fraction === 1
                if (!last && Date.now() - lastLine < 1000) return
                const line = progressLine(e)
                if (line) {
                  lastLine = Date.now()
                  log(line)
                }
              } else if (classify) {
                const m = e.metrics
                log(
                  `  seed ${e.seed}: F1 macro ${m.testF1Macro.toFixed(3)} · F1 weighted ${m.testF1Weighted.toFixed(3)} · recall macro ${m.testRecallMacro.toFixed(3)}`,
                )
              } else {
                log(`  seed ${e.seed}: ${runLine(e.metrics)}`)
              }
            },
          )
          results.push({ fraction, result })
          if (o.predictionsOut) {
            for (const run of result.runs) {
              const name = typeof fraction === 'number' ? String(Math.round(fraction * 100)) : fraction
              const folder = path.join(o.predictionsOut, name, `seed-${run.seed}`)
              // 0/255 for one mask class (what binary-mask tools expect), class values for several.
              const values = listMaskClasses(project).length > 1 ? 'index' : 'binary'
              const n = await exportRunPredictions(project, run.runId, folder, values)
              const slides = n.wholeSlides
                ? ` (${n.wholeSlides} whole-slide predictions stay in the project)`
                : ''
              log(`  wrote ${n.written} predicted masks and their COCO file to ${folder}${slides}`)
            }
          }
        }
        if (o.json) {
          console.log(JSON.stringify(results.length === 1 ? results[0].result : results, null, 2))
          return
        }
        for (const { fraction, result } of results) {
          console.log(`${o.method} · ${describe(fraction)} · ${o.preset} preset`)
          if (classify) {
            for (const line of classificationSummary(result)) console.log(line)
            continue
          }
          for (const line of segmentationSummary(result)) console.log(line)
        }
      } finally {
        sigint.release()
        closeProject(project)
      }
    })
}
