import { Command } from 'commander'
import { appFolders } from '../../core/appFolders'
import { weightsDir } from '../../core/api/weightsHandlers'
import { importPretrainedWeights, listCachedWeights } from '../../core/models/pretrained/pretrainedCache'

export function weightsCommand(): Command {
  const cmd = new Command('weights').description(
    'ImageNet weights (.safetensors, torchvision or timm names) for training',
  )
  cmd
    .command('import')
    .description(
      'Recognise and cache weight files, or every .safetensors file in a folder (nothing is downloaded)',
    )
    .argument('<paths...>', 'files or folders')
    .action((paths: string[]) => {
      const r = importPretrainedWeights(paths, weightsDir(appFolders().data))
      for (const w of r.imported) console.log(`Imported ${w.architecture} from ${w.importedFrom}`)
      for (const x of r.rejected) console.error(`Skipped ${x.path}: ${x.reason}`)
      if (!r.imported.length) throw new Error('no weight file was imported')
    })
  cmd
    .command('list')
    .description('List the cached weights')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const list = listCachedWeights(weightsDir(appFolders().data))
      if (o.json) console.log(JSON.stringify(list, null, 2))
      else if (!list.length) console.log('No weights imported yet: s4mi weights import FILE_OR_FOLDER')
      else for (const w of list) console.log(`${w.architecture}\t${w.file}\t${w.importedAt}`)
    })
  return cmd
}
