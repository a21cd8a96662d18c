import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { atomicWriteFile } from '../../core/store/atomicWrite'
import { closeProject, openProject } from '../../core/store/project'
import { exportModel, importModel, type ModelCard } from '../../core/train/modelPackage'

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
    .action(async (dir: string, weights: string, o: { card?: string }) => {
      const cardFile = o.card ?? weights.replace(/\.safetensors$/, '') + '.model.json'
      if (!fs.existsSync(weights)) throw new Error(`weights: no file ${weights}`)
      if (!fs.existsSync(cardFile)) throw new Error(`card: no model card at ${cardFile} (pass --card)`)
      let card: ModelCard
      try {
        card = JSON.parse(fs.readFileSync(cardFile, 'utf8')) as ModelCard
      } catch {
        throw new Error(`card: ${cardFile} is not JSON`)
      }
      const project = openProject(dir)
      try {
        const runId = await importModel(project, fs.readFileSync(weights), card)
        console.log(
          `Imported ${card.methodName} as run ${runId}; it has predicted every image of the project`,
        )
      } finally {
        closeProject(project)
      }
    })
  return model
}
