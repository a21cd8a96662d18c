import { Command, InvalidArgumentError, Option } from 'commander'
import { labelModeSchema } from '../../shared/contract/schemaParts'
import { closeProject, createProject } from '../../core/store/project'
import { projectInfo } from '../../core/store/projectInfo'

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#469990',
  '#9a6324',
]

function classSpec(value: string, previous: { name: string; color: string }[]) {
  const [name, color] = value.split(':')
  if (!name?.trim()) throw new InvalidArgumentError(`class "${value}" has no name`)
  const c = color ?? PALETTE[previous.length % PALETTE.length]
  if (!/^#[0-9a-fA-F]{6}$/.test(c))
    throw new InvalidArgumentError(`class "${name}" colour must look like #rrggbb, got ${c}`)
  return [...previous, { name: name.trim(), color: c }]
}

export function projectCommand(): Command {
  const cmd = new Command('project').description('Create and manage projects')
  cmd
    .command('create')
    .description('Create an empty project in a new or empty folder')
    .argument('<dir>', 'project folder')
    .option('--name <name>', 'project name (default: the folder name)')
    .option(
      '--label-mode <mode>',
      'multi-class (one class per image) or multi-label (any of the classes)',
      'multi-class',
    )
    .addOption(
      new Option('--class <name[:#rrggbb]>', 'an image label, e.g. a diagnosis (repeat for several)')
        .argParser(classSpec)
        .default([], 'none'),
    )
    .addOption(
      new Option(
        '--mask-class <name>',
        'a mask class: what a pixel can be, e.g. lesion, tumour, necrosis (repeat; values 1, 2, … in order)',
      )
        .argParser((v: string, prev: string[]) => [...prev, v])
        .default([], 'none'),
    )
    .option('--json', 'print the project info as JSON')
    .action(
      (
        dir: string,
        o: {
          name?: string
          labelMode: string
          class: { name: string; color: string }[]
          maskClass: string[]
          json?: boolean
        },
      ) => {
        const mode = labelModeSchema.safeParse(o.labelMode)
        if (!mode.success)
          throw new Error(`--label-mode must be multi-class or multi-label, got ${o.labelMode}`)
        const project = createProject(dir, {
          name: o.name ?? dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'Project',
          labelMode: mode.data,
          classes: o.class,
          maskClasses: o.maskClass.map((name) => ({ name })),
        })
        const info = projectInfo(project)
        closeProject(project)
        console.log(o.json ? JSON.stringify(info, null, 2) : `Created project "${info.name}" in ${info.dir}`)
      },
    )
  return cmd
}
