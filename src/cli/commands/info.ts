import { Command } from 'commander'
import { closeProject, openProject } from '../../core/store/project'
import { projectInfo } from '../../core/store/projectInfo'
import { describeBackend, selectBackend, type BackendInfo } from '../../core/engine/backend/selectBackend'
import { describeOpenSlide, openSlideStatus } from '../../core/slide/openSlideLibrary'
import { passThreadsToWorkers, threadsOption } from './threadsOption'

/** The chosen backend, then why each faster one was skipped. */
function backendLines(backend: BackendInfo): string[] {
  return [
    `Training backend: ${describeBackend(backend)}`,
    ...backend.skipped.map((reason) => `  skipped ${reason}`),
  ]
}

export function infoCommand(): Command {
  return new Command('info')
    .description('Show what a project holds: images, tiles, classes, labels, masks, splits')
    .argument('[project]', 'project folder')
    .option('--json', 'machine-readable output')
    .option(
      '--backend',
      'also start the training backend and say which it is (and warn if it is a slow fallback)',
    )
    .addOption(threadsOption())
    .action(async (dir: string | undefined, o: { json?: boolean; backend?: boolean; threads?: number }) => {
      passThreadsToWorkers(o.threads)
      const backend = o.backend ? await selectBackend({ threads: o.threads }) : null
      if (!dir) {
        if (!backend) throw new Error('missing required argument project (or pass --backend)')
        const slides = openSlideStatus()
        if (o.json) console.log(JSON.stringify({ backend, openslide: slides }, null, 2))
        else {
          console.log(backendLines(backend).join('\n'))
          console.log(`Slides: ${describeOpenSlide(slides)}`)
        }
        return
      }
      const project = openProject(dir)
      try {
        const info = projectInfo(project)
        if (o.json) {
          console.log(JSON.stringify(backend ? { ...info, backend } : info, null, 2))
          return
        }
        if (backend) {
          console.log(backendLines(backend).join('\n'))
          console.log(`Slides: ${describeOpenSlide(openSlideStatus())}`)
        }
        const c = info.counts
        console.log(`${info.name} — ${info.dir}`)
        // The label mode beside the labels it governs (a demo's name already carries it in brackets).
        console.log(
          `  image labels (${info.labelMode}): ${info.classes.map((k) => k.name).join(', ') || '(none)'}`,
        )
        console.log(`  mask classes: ${info.maskClasses.map((k) => k.name).join(', ') || '(none)'}`)
        console.log(
          `  images ${c.images} · tiles ${c.tiles} · labelled images ${c.labelledImages} (${c.labels} labels)`,
        )
        console.log(`  masks ${c.masks} · splits ${c.splits} · runs ${c.runs}`)
      } finally {
        closeProject(project)
      }
    })
}
