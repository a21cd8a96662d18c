import fs from 'node:fs'
import path from 'node:path'
import type { ApiOutput } from '../../shared/api'
import { exportAnnotations } from '../export/annotationExport'
import { exportGeoJson } from '../export/geoJsonExport'
import { zipFolder } from '../export/zipFolder'
import { getMeta, type Project } from '../store/project'
import { importAnnotations } from '../export/annotationImport'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

type ExportFolderSummary = ApiOutput<'annotations.export'>

/** Writes the export of `format` into `dir` (refused when it holds files, unless `overwrite`). */
async function exportFolder(
  project: Project,
  dir: string,
  o: { format: 'masks' | 'geojson'; maskValues: 'index' | 'binary'; overwrite?: boolean },
): Promise<ExportFolderSummary> {
  if (o.format === 'geojson')
    return { format: 'geojson', ...(await exportGeoJson(project, dir, { overwrite: o.overwrite })) }
  return { format: 'masks', ...(await exportAnnotations(project, dir, o)) }
}

export function annotationFilesHandlers(
  session: Session,
): HandlerGroup<'annotations.export' | 'annotations.exportZip' | 'annotations.import'> {
  const changed = (change: 'labels' | 'mask') => session.emit({ type: 'project', change })
  return {
    'annotations.export': async ({ dir, format, maskValues, overwrite }) =>
      exportFolder(session.requireProject(), session.confinedDir(dir), { format, maskValues, overwrite }),
    'annotations.exportZip': async ({ format, maskValues }) => {
      const project = session.requireProject()
      const { downloadId, dir } = session.downloads.prepare()
      try {
        // The project's name, kept to letters, digits, dot, dash and underscore: a safe file name anywhere.
        const name = (getMeta(project, 'name') ?? 'project').replace(/[^\w.-]+/g, '_').slice(0, 80)
        const base = `${name}-${format === 'geojson' ? 'geojson' : 'annotations'}`
        const folder = path.join(dir, base)
        const summary = await exportFolder(project, folder, { format, maskValues })
        const fileName = `${base}.zip`
        const files = zipFolder(folder, path.join(dir, fileName))
        fs.rmSync(folder, { recursive: true, force: true })
        session.downloads.offer(downloadId, path.join(dir, fileName), fileName)
        return { ...summary, downloadId, fileName, files }
      } catch (e) {
        session.downloads.discard(downloadId)
        throw e
      }
    },
    'annotations.import': async ({ dir, masks, labels }) => {
      const r = await importAnnotations(session.requireProject(), dir, { masks, labels })
      changed('mask')
      changed('labels')
      return r
    },
  }
}
