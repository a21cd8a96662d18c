import fs from 'node:fs'
import path from 'node:path'
import type { ApiParsedInput } from '../../shared/api'
import { importDataset } from '../data/importDataset'
import { importImages, imagesInFolder } from '../data/importImages'
import { importGeoJson } from '../export/geoJsonImport'
import type { Session } from './session'

type ImportInput = Omit<ApiParsedInput<'import.start'>, 'path'> & {
  source: string
  /** What the job's title calls the source (an upload names the folder the browser sent). */
  shownName?: string
}

/**
 * Checks a source and submits its import as a job (all or nothing: a failed or cancelled import leaves the
 * project as it was). `whenFinished` runs once the job ends, however it ends, also when it is cancelled
 * before it started.
 */
export function startImport(
  session: Session,
  {
    format,
    source,
    tileMagnification,
    tileMicrons,
    maskClass,
    createClasses,
    skipUnclassified,
    shownName,
  }: ImportInput,
  whenFinished?: () => void,
): { jobId: string } {
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
    throw new Error(`path: no PNG, JPEG, TIFF or slide files in ${shownName ?? source}`)
  const job = session.jobs.submit({
    kind: 'import',
    title: `Import ${format} from ${shownName ?? path.basename(source)}`,
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
      if (format === 'geojson') {
        // Masks for images already in the project: one new revision each, all or nothing.
        const { signal, onProgress } = options
        const summary = await importGeoJson(project, source, {
          createClasses,
          skipUnclassified,
          signal,
          onProgress,
        })
        if (summary.maskClassesAdded.length) session.emit({ type: 'project', change: 'classes' })
        session.emit({ type: 'project', change: 'mask' })
        return summary
      }
      const summary =
        format === 'images'
          ? await importImages(project, listed.files, options, listed.problems)
          : await importDataset(project, { format, path: source, maskClass }, options)
      session.emit({ type: 'project', change: 'images' })
      return summary
    },
  })
  if (whenFinished) {
    const stop = session.jobs.onChange((j) => {
      if (j.id !== job.id || j.status === 'queued' || j.status === 'running') return
      stop()
      whenFinished()
    })
  }
  return { jobId: job.id }
}
