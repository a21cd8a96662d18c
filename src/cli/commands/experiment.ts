import { Command, InvalidArgumentError, Option } from 'commander'
import type { ExperimentSpec, ExperimentStatistics, ExperimentTask } from '../../shared/experiments'
import { CLASSIFIER_BACKBONES } from '../../shared/classifierBackbones'
import { evaluationMetric } from '../../shared/evaluationMetrics'
import { listMethods } from '../../core/methods/catalogue'
import type { Hyper } from '../../core/methods/method'
import type { BackendChoice } from '../../core/engine/backend/selectBackend'
import { closeProject, openProject } from '../../core/store/project'
import {
  checkExperimentSpec,
  experimentStatistics,
  headlineMetric,
  rowName,
} from '../../core/train/experiment'
import { runExperiment } from '../../core/train/runExperiment'
import { forkLauncher } from '../../core/train/workerLauncher'
import { percentToFraction } from './labelFractionOption'
import { backendOption } from './backendOption'
import { threadsOption } from './threadsOption'
import { chooseTrainingBackend } from './trainingBackend'
import { parseSet } from './train'
import { parseSeeds } from './seedsOption'
import { cancelOnSigint } from './sigintCancel'

interface ExperimentOptions {
  task: ExperimentTask[]
  methods: string[]
  backbones: string[]
  fractions: number[]
  seeds: number
  preset: 'quick' | 'paper'
  name?: string
  set: Partial<Hyper>
  metric?: string
  backend?: BackendChoice
  threads?: number
  json?: boolean
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

function parseTasks(v: string): ExperimentTask[] {
  return list(v).map((t) => {
    if (t !== 'segmentation' && t !== 'classification')
      throw new InvalidArgumentError(`--task is segmentation or classification, got '${t}'`)
    return t
  })
}

function parseBackbones(v: string): string[] {
  return list(v).map((b) => {
    if (!(CLASSIFIER_BACKBONES as readonly string[]).includes(b))
      throw new InvalidArgumentError(
        `--backbones: unknown backbone '${b}' (${CLASSIFIER_BACKBONES.join(', ')})`,
      )
    return b
  })
}

const fraction = percentToFraction('--fractions', [], 1)
function parseFractions(v: string): number[] {
  return list(v).map((f) => fraction(f) as number)
}

/** A time left as people say it: "40 s", "12 min", "2 h 05 min". */
function timeLeft(seconds: number): string {
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const m = Math.round(s / 60)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** The statistics as the CLI prints them: one line per cell, then the comparisons. */
export function statisticsLines(stats: ExperimentStatistics): string[] {
  // Cells and the metric named as the comparisons below name them (the methods' and backbones' names).
  const metric = evaluationMetric(stats.metric)?.label ?? stats.metric
  const lines = [`${metric} per cell (a seed counted once; mean and 95 % t-interval over seeds):`]
  for (const c of stats.cells) {
    const row = `${rowName(c)} at ${Math.round(c.labelFraction * 100)} %`
    const spread = c.interval
      ? `${c.mean.toFixed(3)} ± ${c.interval.halfWidth.toFixed(3)} (n = ${c.n})`
      : `${c.mean.toFixed(3)} (n = ${c.n}; ${c.intervalNote})`
    const repeats = c.repeats.length
      ? ` · ${c.repeats.length} repeat${c.repeats.length > 1 ? 's' : ''}${c.repeats.some((r) => !r.agrees) ? ', NOT agreeing' : ', agreeing'}`
      : ''
    lines.push(`  ${row.padEnd(40)} ${spread}${repeats}`)
  }
  if (stats.comparisons.length) lines.push('Comparisons:')
  for (const c of stats.comparisons) lines.push(`  ${c.statement}`)
  return lines
}

export function experimentCommand(): Command {
  const methodIds = [...new Set(listMethods().map((m) => m.id))]
  return (
    new Command('experiment')
      .description(
        'Train the methods × backbones × label fractions × seeds matrix as one experiment; runs already done are skipped; prints n, mean and 95 % t-interval per cell',
      )
      .argument('<project>', 'project folder')
      // Defaults described as a user types them: commander would print the parsed values ([1], {}).
      .addOption(
        new Option('--task <tasks>', 'segmentation, classification or both (comma list)')
          .argParser(parseTasks)
          .default(['segmentation'] as ExperimentTask[], 'segmentation'),
      )
      .requiredOption('--methods <ids>', `comma list of methods (${methodIds.join(', ')})`, list)
      .addOption(
        new Option(
          '--backbones <names>',
          `classification: comma list of backbones (${CLASSIFIER_BACKBONES.join(', ')})`,
        )
          .argParser(parseBackbones)
          .default([], "the preset's"),
      )
      .addOption(
        new Option('--fractions <percent>', 'label fractions in percent, e.g. 10,30,50,70,100')
          .argParser(parseFractions)
          .default([1], '100'),
      )
      .option('--seeds <n>', 'seeds 0..n-1 per cell (the paper uses 5)', parseSeeds, 5)
      .addOption(
        new Option('--preset <preset>', 'model and schedule size')
          .choices(['quick', 'paper'])
          .default('quick'),
      )
      .option('--name <name>', 'what to call the experiment')
      .addOption(
        new Option(
          '--set <name=value>',
          'a hyperparameter for every run that has it, e.g. --set epochs=5 (repeatable)',
        )
          .argParser(parseSet)
          .default({}, 'none'),
      )
      .option(
        '--metric <name>',
        'the score to summarise (default: testIou, or testF1Macro for classification)',
      )
      .addOption(backendOption('training backend'))
      .addOption(threadsOption())
      .option('--json', 'print the experiment and its statistics as JSON')
      .action(async (dir: string, o: ExperimentOptions) => {
        const spec: ExperimentSpec = {
          name:
            o.name ??
            `${o.methods.join(' vs ')} at ${o.fractions.map((f) => Math.round(f * 100)).join(', ')} %, ${o.seeds} seeds`,
          tasks: o.task,
          methods: o.methods,
          backbones: o.backbones,
          labelFractions: o.fractions,
          seeds: o.seeds,
          preset: o.preset,
          overrides: o.set as ExperimentSpec['overrides'],
        }
        // A misspelt setting or method is refused before the backend is chosen and announced.
        checkExperimentSpec(spec)
        const { backend, log } = await chooseTrainingBackend(o)
        const project = openProject(dir)
        const sigint = cancelOnSigint()
        try {
          const { experimentId, progress } = await runExperiment(project, spec, {
            launch: forkLauncher,
            backend: { ...backend, warning: backend.warning ?? null },
            hardware: o.threads ? { threads: o.threads } : {},
            signal: sigint.signal,
            onStart: (s) =>
              log(
                `Experiment ${s.experimentId}: ${s.queued} run${s.queued === 1 ? '' : 's'} to train, ${s.reused} already done`,
              ),
            onRunEnd: (job, p) => {
              const eta =
                p.etaSeconds === null || p.queued + p.running === 0
                  ? ''
                  : ` · about ${timeLeft(p.etaSeconds)} left`
              const outcome = job.status === 'failed' ? `FAILED (${job.error})` : job.status
              log(
                `  ${job.title}: ${outcome} · ${p.succeeded}/${p.total} done${p.failed ? `, ${p.failed} failed` : ''}${eta}`,
              )
            },
          })
          const metric = o.metric ?? headlineMetric(o.task[0])
          const stats = experimentStatistics(project, experimentId, metric)
          if (o.json) {
            console.log(JSON.stringify({ experimentId, progress, statistics: stats }, null, 2))
            return
          }
          for (const line of statisticsLines(stats)) console.log(line)
          if (progress.failed || progress.cancelled)
            throw new Error(
              `${progress.failed} run(s) failed and ${progress.cancelled} were cancelled; run the same command again to retry them`,
            )
        } finally {
          sigint.release()
          closeProject(project)
        }
      })
  )
}
