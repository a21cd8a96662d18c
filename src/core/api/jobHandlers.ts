import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'
import { startImport } from './startImport'

export function jobHandlers(session: Session): HandlerGroup<'jobs.list' | 'jobs.cancel' | 'import.start'> {
  return {
    'jobs.list': async () => session.jobs.list(),
    'jobs.cancel': async ({ jobId }) => session.jobs.cancel(jobId),
    'import.start': async ({ path: source, ...options }) => startImport(session, { ...options, source }),
  }
}
