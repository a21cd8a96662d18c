import path from 'node:path'
import { Command } from 'commander'
import { MAX_WEIGHTS_BYTES } from '../../core/models/pretrained/pretrainedCache'
import { atomicWriteFile } from '../../core/store/atomicWrite'
import { closeProject, openProject } from '../../core/store/project'
import { readRegularFile, readRegularText } from '../../core/store/regularFile'
import { exportModel, importModel, type ModelCard } from '../../core/train/modelPackage'
import type { BackendChoice } from '../../core/engine/backend/selectBackend'
import { backendOption, chooseBackend } from './backendOption'
import { threadsOption } from './threadsOption'

/** A model card is a few kilobytes of JSON; 16 MiB refuses anything else before it is parsed. */
const MAX_CARD_BYTES = 16 * 1024 ** 2

/** `s4mi model export|import`: a trained model as safetensors + JSON model card, and back into a project. */
export function modelCommand(): Command {
  const model = new Command('model').description(
    'Export a trained run as safetensors with a JSON model card, or import one into a project to predict there',
  )
  model
    .command('export')
    .description('Write <out>/<name>.safetensors and <name>.model.json for a finished run')
    .argument('<project>', 'project folder')
    .argument('<run>', 'run id (see the results pane or s4mi results)')
    .requiredOption('--out <folder>', 'folder to write the two files to')
    .action((dir: string, run: string, o: { out: string }) => {
      const runId = Number(run)
      if (!Number.isInteger(runId) || runId < 1)
        throw new Error(`run: a run id is a positive integer, got "${run}"`)
      const project = openProject(dir)
      try {
        const { safetensors, card } = exportModel(project, runId)
        const name = `${card.project.replace(/[^\w.-]+/g, '-')}-run${runId}-${card.method}`
        atomicWriteFile(path.join(o.out, `${name}.safetensors`), safetensors)
        atomicWriteFile(path.join(o.out, `${name}.model.json`), JSON.stringify(card, null, 2) + '\n')
        console.log(path.join(o.out, `${name}.safetensors`))
      } finally {
        closeProject(project)
      }
    })
  model
    .command('import')
    .description('Add an exported model to a project as a run and predict every image with it')
    .argument('<project>', 'project folder')
    .argument('<weights>', 'the .safetensors file (its .model.json beside it)')
    .option('--card <file>', 'the model card, if not beside the weights')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      async (
        dir: string,
        weights: string,
        o: { card?: string; threads?: number; backend?: BackendChoice },
      ) => {
        const cardFile = o.card ?? weights.replace(/\.safetensors$/, '') + '.model.json'
        // Read as the app reads every file a user names: regular files only, under a limit (store/regularFile.ts);
        // the small card first, so a wrong card costs no read of the weights.
        let card: ModelCard
        try {
          card = JSON.parse(readRegularText(cardFile, MAX_CARD_BYTES, 'model card')) as ModelCard
        } catch (e) {
          if (e instanceof SyntaxError) throw new Error(`card: ${cardFile} is not JSON`)
          throw new Error(`card: ${(e as Error).message}${o.card ? '' : ' (pass --card)'}`)
        }
        if (typeof card?.weights?.sha256 !== 'string')
          throw new Error(`card: ${cardFile} has no weights.sha256, so it is not an S4MI model card`)
        let safetensors: Buffer
        try {
          safetensors = readRegularFile(weights, MAX_WEIGHTS_BYTES, 'weights file')
        } catch (e) {
          throw new Error(`weights: ${(e as Error).message}`)
        }
        // Importing predicts every image on tfjs: choose its backend first, as s4mi predict does.
        await chooseBackend(o)
        const project = openProject(dir)
        try {
          const runId = await importModel(project, safetensors, card)
          console.log(
            `Imported ${card.methodName} as run ${runId}; it has predicted every image of the project`,
          )
        } finally {
          closeProject(project)
        }
      },
    )
  return model
}
