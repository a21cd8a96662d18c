import { exportAnnotations } from '../export/annotationExport'
import { importAnnotations } from '../export/annotationImport'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function annotationFilesHandlers(
  session: Session,
): HandlerGroup<'annotations.export' | 'annotations.import'> {
  const changed = (change: 'labels' | 'mask') => session.emit({ type: 'project', change })
  return {
    'annotations.export': async ({ dir, maskValues, overwrite }) =>
      exportAnnotations(session.requireProject(), session.confinedDir(dir), { maskValues, overwrite }),
    'annotations.import': async ({ dir, masks, labels }) => {
      const r = await importAnnotations(session.requireProject(), dir, { masks, labels })
      changed('mask')
      changed('labels')
      return r
    },
  }
}
