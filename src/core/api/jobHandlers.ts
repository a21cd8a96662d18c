import fs from 'node:fs'
import path from 'node:path'
import { importDataset } from '../data/importDataset'
import { importImages, imagesInFolder } from '../data/importImages'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function jobHandlers(session: Session): HandlerGroup<'jobs.list' | 'jobs.cancel' | 'import.start'> {
  return {
    'jobs.list': async () => session.jobs.list(),
    'jobs.cancel': async ({ jobId }) => session.jobs.cancel(jobId),
    'import.start': async ({ format, path: source, tileMagnification, tileMicrons, maskClass }) => {
      const project = session.requireProject()
      let st: fs.Stats
      try {
        st = fs.lstatSync(source)
      } catch {
        throw new Error(`path: ${source} does not exist`)
      }
      if (st.isSymbolicLink())
        throw new Error(`path: ${source} is a symbolic link (refused: pick the folder or file it points to)`)
      // Single images: one file, or every PNG/JPEG/TIFF directly in a folder.
      const listed =
        format !== 'images'
          ? { files: [], problems: [] }
          : st.isDirectory()
            ? imagesInFolder(source)
            : { files: [source], problems: [] }
      if (format === 'images' && listed.files.length === 0 && listed.problems.length === 0)
        throw new Error(`path: no PNG, JPEG, TIFF or slide files in ${source}`)
      const job = session.jobs.submit({
        kind: 'import',
        title: `Import ${format} from ${path.basename(source)}`,
        // Imports write the project; they queue behind each other but not behind training.
        device: 'project',
        run: async (ctx) => {
          const options = {
            signal: ctx.signal,
            tileScale:
              tileMagnification !== undefined
                ? { magnification: tileMagnification }
                : tileMicrons !== undefined
                  ? { tileMicrons }
                  : undefined,
            onProgress: (done: number, total: number, file: string) =>
              ctx.progress({
                fraction: total ? done / total : null,
                message: `${done}/${total} · ${path.basename(file)}`,
              }),
          }
          const summary =
            format === 'images'
              ? await importImages(project, listed.files, options, listed.problems)
              : await importDataset(project, { format, path: source, maskClass }, options)
          session.emit({ type: 'project', change: 'images' })
          return summary
        },
      })
      return { jobId: job.id }
    },
  }
}
