import { Command, InvalidArgumentError, Option } from 'commander'
import type { BackendChoice } from '../../core/engine/backend/selectBackend'
import { exportRunPredictions } from '../../core/methods/segmentation/predictionExport'
import type { UncertaintyStrategy } from '../../core/store/predictionUncertainty'
import path from 'node:path'
import { exportLabelPredictions, LABEL_PREDICTIONS_FILE } from '../../core/export/labelPredictionExport'
import { closeProject, openProject } from '../../core/store/project'
import { getRun } from '../../core/store/runs'
import { predictedLabelsOf } from '../../core/train/predictLabels'
import { predictEverywhere, type ImageChoice } from '../../core/train/predictEverywhere'
import { backendOption, chooseBackend } from './backendOption'
import { threadsOption } from './threadsOption'
import { cancelOnSigint } from './sigintCancel'

/** `--run N`: a run id. */
export function runIdOption(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`a run is a positive whole number, got '${v}'`)
  return n
}

/** `unlabelled`, `all`, or image ids separated by commas. */
function parseImages(v: string): ImageChoice {
  if (v === 'unlabelled' || v === 'all') return v
  const ids = v.split(',').map((s) => Number(s.trim()))
  if (!ids.length || ids.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError(`--images takes unlabelled, all, or image ids like 3,7,12; got '${v}'`)
  return ids
}

/**
 * `s4mi predict PROJECT --run N [--images unlabelled|all|IDS] [--out DIR]`: a finished run predicts the
 * project's images (stored per run, never over a mask) and measures its uncertainty about each.
 */
export function predictCommand(): Command {
  return new Command('predict')
    .description(
      "Predict the project's unlabelled (or all, or chosen) images with a finished run (masks, or a classifier's labels), measuring its uncertainty",
    )
    .argument('<project>', 'project folder')
    .requiredOption('--run <id>', 'the finished run', runIdOption)
    .option(
      '--images <which>',
      'unlabelled, all, or image ids (3,7,12)',
      parseImages,
      'unlabelled' as ImageChoice,
    )
    .addOption(
      new Option(
        '--strategy <names...>',
        'uncertainty to measure (default: entropy, and disagreement for cross teaching)',
      ).choices(['entropy', 'disagreement', 'mc-dropout']),
    )
    .option('--again', 'predict images already predicted by this run again')
    .option(
      '--out <dir>',
      "also write the run's predictions there: masks (PNG) and COCO, or a classifier's labels.csv-style CSV",
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      async (
        dir: string,
        o: {
          run: number
          images: ImageChoice
          strategy?: UncertaintyStrategy[]
          again?: boolean
          out?: string
          threads?: number
          backend?: BackendChoice
        },
      ) => {
        await chooseBackend(o)
        const project = openProject(dir)
        const sigint = cancelOnSigint()
        try {
          let last = 0
          const s = await predictEverywhere(project, {
            runId: o.run,
            images: o.images,
            strategies: o.strategy,
            again: o.again,
            signal: sigint.signal,
            onProgress: (done, total, image) => {
              if (Date.now() - last < 1000 && done < total) return
              last = Date.now()
              console.error(`${done}/${total}${image ? ` · ${image}` : ''}`)
            },
          })
          console.log(
            `Run ${o.run} predicted ${s.predicted} image${s.predicted === 1 ? '' : 's'}` +
              (s.skipped ? ` (${s.skipped} already done, skipped)` : '') +
              `; uncertainty: ${s.strategies.join(', ')}`,
          )
          if (o.out && getRun(project, o.run).task === 'classification') {
            const n = await exportLabelPredictions(project, o.run, o.out, predictedLabelsOf(project, o.run))
            console.log(`${n.written} images' predicted labels → ${path.join(o.out, LABEL_PREDICTIONS_FILE)}`)
          } else if (o.out) {
            const n = await exportRunPredictions(project, o.run, o.out)
            console.log(
              `${n.written} predicted masks → ${o.out}` +
                (n.wholeSlides ? ` (${n.wholeSlides} whole-slide predictions stay in the project)` : ''),
            )
          }
        } finally {
          sigint.release()
          closeProject(project)
        }
      },
    )
}
