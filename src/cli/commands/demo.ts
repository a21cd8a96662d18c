import { Command, InvalidArgumentError, Option } from 'commander'
import { createDemoProject, DEMO_LABEL_FRACTION } from '../../core/demo/createDemoProject'
import { DEMO_VARIANTS, type DemoVariant } from '../../core/demo/demoClasses'
import {
  DEMO_DEFAULT_COUNT,
  DEMO_DEFAULT_SEED,
  DEMO_MAX_COUNT,
  generateDemoDataset,
} from '../../core/demo/generateDemoDataset'
import { closeProject } from '../../core/store/project'
import { projectInfo } from '../../core/store/projectInfo'
import { describeFraction, percentToFraction } from './labelFractionOption'

function integerIn(lo: number, hi: number): (v: string) => number {
  return (v) => {
    const n = Number(v)
    if (v.trim() === '' || !Number.isInteger(n) || n < lo || n > hi) {
      throw new InvalidArgumentError(`must be an integer from ${lo} to ${hi}, got ${v}`)
    }
    return n
  }
}

/** Progress on stderr: one rewritten line on a terminal, a line per quarter of each stage otherwise. */
function progressPrinter(): (p: { stage: string; done: number; total: number; name: string }) => void {
  const lastQuarter = new Map<string, number>()
  return ({ stage, done, total, name }) => {
    const verb = stage === 'generate' ? 'generating' : 'importing'
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${verb} ${done}/${total} ${name}`.padEnd(40))
      if (done === total) process.stderr.write('\n')
      return
    }
    const quarter = Math.floor((4 * done) / total)
    if (quarter !== lastQuarter.get(stage)) {
      lastQuarter.set(stage, quarter)
      process.stderr.write(`${verb} ${done}/${total} ${name}\n`)
    }
  }
}

interface DemoOptions {
  out: string
  variant: DemoVariant
  seed: number
  count: number
  labelFraction: number
  folderOnly?: boolean
  json?: boolean
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Create the demo project: synthetic images with masks and labels, generated on the spot (offline), ' +
        'imported, split 70/10/20 and with a label fraction selected',
    )
    .addHelpText(
      'after',
      `
Variants:
  multi-class  ISIC-like dermoscopy: one lesion per image, nevus (round, brown), melanoma
               (irregular, dark, several colours) or keratosis (oval, light tan, fissured).
               Images of 256-512 px, resized to 480 for training.
  multi-label  Dermatomyositis-like H&E fields of 469 x 352 (and two 1876 x 1408 slides,
               12 tiles of 480 each): masks mark the cells; findings inflammation (dense
               cells), vessel (lumen with red cells), necrosis (orange-pink patch) co-occur.
The same seed gives byte-identical images and masks.`,
    )
    .requiredOption(
      '--out <dir>',
      'a new or empty folder for the project (or the dataset, with --folder-only)',
    )
    .addOption(
      new Option(
        '--variant <variant>',
        'multi-class (dermoscopy, one diagnosis each, lesion masks) or multi-label (H&E fields, co-occurring findings, masks with three classes: cell, vessel, necrosis)',
      )
        .choices(DEMO_VARIANTS)
        .default('multi-class'),
    )
    .option(
      '--seed <n>',
      'random seed for images, labels and split',
      integerIn(0, 4294967295),
      DEMO_DEFAULT_SEED,
    )
    .option('--count <n>', 'number of images', integerIn(1, DEMO_MAX_COUNT), DEMO_DEFAULT_COUNT)
    .addOption(
      new Option(
        '--label-fraction <percent>',
        'percent of the training images whose labels form the labelled set',
      )
        .argParser((v: string) => percentToFraction('--label-fraction', [], 1)(v) as number)
        .default(DEMO_LABEL_FRACTION, String(DEMO_LABEL_FRACTION * 100)),
    )
    .option('--folder-only', 'only write images/, masks/ and labels.csv (the folder-import layout)')
    .option('--json', 'print the project info as JSON')
    .action(async (o: DemoOptions) => {
      const controller = new AbortController()
      const onSigint = () => controller.abort(new Error('cancelled; nothing was left behind'))
      process.once('SIGINT', onSigint)
      const progress = progressPrinter()
      try {
        if (o.folderOnly) {
          const summary = await generateDemoDataset(
            o.out,
            { seed: o.seed, variant: o.variant, count: o.count },
            { signal: controller.signal, onProgress: (p) => progress({ stage: 'generate', ...p }) },
          )
          if (o.json) console.log(JSON.stringify(summary, null, 2))
          else
            console.log(
              `Wrote ${summary.images.length} demo images with masks and labels.csv to ${summary.dir}`,
            )
          return
        }
        const demo = await createDemoProject(o.out, {
          seed: o.seed,
          variant: o.variant,
          count: o.count,
          labelFraction: o.labelFraction,
          signal: controller.signal,
          onProgress: progress,
        })
        const info = projectInfo(demo.project)
        closeProject(demo.project)
        if (o.json) console.log(JSON.stringify(info, null, 2))
        else {
          const c = info.counts
          console.log(
            `Created "${info.name}" in ${info.dir}: ${c.images} images (${c.tiles} tiles), ${c.masks} masks, ` +
              `image labels ${info.classes.map((k) => k.name).join(', ')}, mask classes ` +
              `${info.maskClasses.map((k) => k.name).join(', ')}; ${demo.trainingImageIds.length} training ` +
              `images in the labelled set (${describeFraction(o.labelFraction)})`,
          )
        }
      } finally {
        process.removeListener('SIGINT', onSigint)
      }
    })
}
