import fs from 'node:fs'
import path from 'node:path'
import { createDemoProject } from '../demo/createDemoProject'
import { closeProject } from '../store/project'
import { projectInfo } from '../store/projectInfo'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** A fresh folder for a new demo project under the default projects folder. */
function freshDemoDir(root: string, variant: string): string {
  fs.mkdirSync(root, { recursive: true })
  for (let i = 1; ; i++) {
    const dir = path.join(root, `Demo ${variant}${i > 1 ? ` ${i}` : ''}`)
    if (!fs.existsSync(dir)) return dir
  }
}

export function demoHandlers(session: Session): HandlerGroup<'demo.create'> {
  return {
    // Runs as a job so its progress shows in the jobs panel; the call returns once the project is open.
    'demo.create': async ({ dir, variant, seed, count }) => {
      const target =
        dir !== undefined
          ? session.confinedDir(dir)
          : freshDemoDir(session.options.defaultProjectsDir, variant)
      const job = session.jobs.submit({
        kind: 'demo',
        title: `New demo project (${variant})`,
        device: 'project',
        run: async (ctx) => {
          const demo = await createDemoProject(target, {
            seed,
            variant,
            count,
            signal: ctx.signal,
            onProgress: (p) =>
              ctx.progress({
                fraction: p.total ? (p.stage === 'generate' ? 0 : 0.5) + 0.5 * (p.done / p.total) : null,
                message: `${p.stage === 'generate' ? 'Generating' : 'Importing'} ${p.done}/${p.total} · ${p.name}`,
              }),
          })
          closeProject(demo.project)
          return target
        },
      })
      const final = await session.jobs.wait(job.id)
      if (final.status !== 'succeeded') throw new Error(final.error ?? `The demo project was ${final.status}`)
      return projectInfo(session.open(target))
    },
  }
}
