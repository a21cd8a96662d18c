import path from 'node:path'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'
import { startImport } from './startImport'

export function uploadHandlers(
  session: Session,
): HandlerGroup<'upload.begin' | 'upload.import' | 'upload.discard'> {
  return {
    'upload.begin': async () => {
      session.requireProject()
      return session.uploads.begin()
    },
    'upload.import': async ({ uploadId, ...options }) => {
      const discard = () => session.uploads.discard(uploadId)
      try {
        const source = session.uploads.seal(uploadId)
        const shownName =
          source === session.uploads.dirOf(uploadId) ? 'uploaded files' : path.basename(source)
        return startImport(session, { ...options, source, shownName }, discard)
      } catch (e) {
        // Refused before a job started: the staged files go now.
        discard()
        throw e
      }
    },
    'upload.discard': async ({ uploadId }) => {
      session.uploads.discard(uploadId)
      return null
    },
  }
}
