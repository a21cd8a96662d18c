import fs from 'node:fs'
import path from 'node:path'
import { importDataset } from '../data/importDataset'
import { importImages } from '../data/importImages'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function jobHandlers(session: Session): HandlerGroup<'jobs.list' | 'jobs.cancel' | 'import.start'> {
  return {
    'jobs.list': async () => session.jobs.list(),
    'jobs.cancel': async ({ jobId }) => session.jobs.cancel(jobId),
    'import.start': async ({ format, path: source }) => {
      const project = session.requireProject()
      if (!fs.existsSync(source)) throw new Error(`path: ${source} does not exist`)
      if (format === 'images')
        throw new Error('format: single images are added from the viewer, not as a dataset')
      const job = session.jobs.submit({
        kind: 'import',
        title: `Import ${format} from ${path.basename(source)}`,
        // Imports write the project; they queue behind each other but not behind training.
        device: 'project',
        run: async (ctx) => {
          const summary = await importDataset(
            project,
            { format, path: source },
            {
              signal: ctx.signal,
              onProgress: (done, total, file) =>
                ctx.progress({
                  fraction: total ? done / total : null,
                  message: `${done}/${total} · ${path.basename(file)}`,
                }),
            },
          )
          session.emit({ type: 'project', change: 'images' })
          return summary
        },
      })
      return { jobId: job.id }
    },
  }
}
