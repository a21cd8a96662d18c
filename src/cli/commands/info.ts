import { Command } from 'commander'
import { closeProject, openProject } from '../../core/store/project'
import { projectInfo } from '../../core/store/projectInfo'

export function infoCommand(): Command {
  return new Command('info')
    .description('Show what a project holds: images, tiles, classes, labels, masks, splits')
    .argument('<project>', 'project folder')
    .option('--json', 'machine-readable output')
    .action((dir: string, o: { json?: boolean }) => {
      const project = openProject(dir)
      try {
        const info = projectInfo(project)
        if (o.json) {
          console.log(JSON.stringify(info, null, 2))
          return
        }
        const c = info.counts
        console.log(`${info.name} (${info.labelMode}) — ${info.dir}`)
        console.log(`  classes: ${info.classes.map((k) => k.name).join(', ') || '(none)'}`)
        console.log(
          `  images ${c.images} · tiles ${c.tiles} · labelled images ${c.labelledImages} (${c.labels} labels)`,
        )
        console.log(`  masks ${c.masks} · splits ${c.splits} · runs ${c.runs}`)
      } finally {
        closeProject(project)
      }
    })
}
