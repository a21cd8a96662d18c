import { Command, InvalidArgumentError, Option } from 'commander'
import { describeBackend, selectBackend, type BackendChoice } from '../../core/engine/backend/selectBackend'
import { closeProject, openProject } from '../../core/store/project'
import { getRun } from '../../core/store/runs'
import { NEXT_STRATEGIES, nextToLabel, type NextStrategy } from '../../core/train/nextToLabel'
import { predictEverywhere } from '../../core/train/predictEverywhere'
import { runIdOption } from './predict'
import { backendOption } from './backendOption'
import { threadsOption } from './threadsOption'

function wholeNumber(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${v}'`)
  return n
}

/**
 * `s4mi next PROJECT --run N --strategy entropy|disagreement|mc-dropout|random --count K [--json]`: the K
 * unlabelled images to label next, most uncertain first (images not yet scored are predicted first).
 */
export function nextCommand(): Command {
  return new Command('next')
    .description(
      'List the unlabelled images to label next, the most uncertain first (or at random, the control)',
    )
    .argument('<project>', 'project folder')
    .requiredOption('--run <id>', 'the finished run whose uncertainty ranks them', runIdOption)
    .addOption(
      new Option('--strategy <name>', 'how to rank').choices([...NEXT_STRATEGIES]).default('entropy'),
    )
    .option('--count <k>', 'how many', wholeNumber, 10)
    .option('--seed <n>', 'the random order (random only)', wholeNumber, 0)
    .option('--json', 'print JSON')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      async (
        dir: string,
        o: {
          run: number
          strategy: NextStrategy
          count: number
          seed: number
          json?: boolean
          threads?: number
          backend?: BackendChoice
        },
      ) => {
        const project = openProject(dir)
        try {
          const rank = () =>
            nextToLabel(project, { runId: o.run, strategy: o.strategy, count: o.count, seed: o.seed })
          let ranking = rank()
          if (ranking.unscored.length && o.strategy !== 'random') {
            const backend = await selectBackend({ backend: o.backend, threads: o.threads })
            console.error(
              `Predicting ${ranking.unscored.length} unscored image(s) first on ${describeBackend(backend)}`,
            )
            await predictEverywhere(project, {
              runId: o.run,
              images: ranking.unscored,
              strategies: [o.strategy],
            })
            ranking = rank()
          }
          if (o.json) {
            console.log(
              JSON.stringify({ runId: o.run, strategy: o.strategy, images: ranking.ranked }, null, 2),
            )
            return
          }
          if (!ranking.ranked.length) {
            // What "labelled" means for the run's task: a mask, or image labels for a classifier.
            const what = getRun(project, o.run).task === 'classification' ? 'image labels' : 'a mask'
            console.log(`No unlabelled images left to rank: every training image has ${what}`)
            return
          }
          console.log(
            `Label next (run ${o.run}, ${o.strategy}${o.strategy === 'random' ? `, seed ${o.seed}` : ''}):`,
          )
          for (const [k, r] of ranking.ranked.entries())
            console.log(
              `${String(k + 1).padStart(3)}. image ${r.imageId} ${r.name}${r.score === null ? '' : `  ${r.score.toFixed(4)}`}`,
            )
        } finally {
          closeProject(project)
        }
      },
    )
}
