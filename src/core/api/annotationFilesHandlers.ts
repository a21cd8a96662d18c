import fs from 'node:fs'
import path from 'node:path'
import { exportAnnotations } from '../export/annotationExport'
import { zipFolder } from '../export/zipFolder'
import { getMeta } from '../store/project'
import { importAnnotations } from '../export/annotationImport'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function annotationFilesHandlers(
  session: Session,
): HandlerGroup<'annotations.export' | 'annotations.exportZip' | 'annotations.import'> {
  const changed = (change: 'labels' | 'mask') => session.emit({ type: 'project', change })
  return {
    'annotations.export': async ({ dir, maskValues, overwrite }) =>
      exportAnnotations(session.requireProject(), session.confinedDir(dir), { maskValues, overwrite }),
    'annotations.exportZip': async ({ maskValues }) => {
      const project = session.requireProject()
      const { downloadId, dir } = session.downloads.prepare()
      try {
        // The project's name, kept to letters, digits, dot, dash and underscore: a safe file name anywhere.
        const base = `${(getMeta(project, 'name') ?? 'project').replace(/[^\w.-]+/g, '_').slice(0, 80)}-annotations`
        const folder = path.join(dir, base)
        const summary = await exportAnnotations(project, folder, { maskValues })
        const fileName = `${base}.zip`
        const files = zipFolder(folder, path.join(dir, fileName))
        fs.rmSync(folder, { recursive: true, force: true })
        session.downloads.offer(downloadId, path.join(dir, fileName), fileName)
        const { masks, annotations, labelledImages } = summary
        return { downloadId, fileName, masks, annotations, labelledImages, files }
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
