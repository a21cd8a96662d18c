import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function jobHandlers(
  session: Session,
): HandlerGroup<'jobs.list' | 'jobs.cancel' | 'import.start' | 'demo.create'> {
  return {
    'jobs.list': async () => session.jobs.list(),
    'jobs.cancel': async ({ jobId }) => session.jobs.cancel(jobId),
    'import.start': async () => {
      throw new Error('unwired')
    },
    'demo.create': async () => {
      throw new Error('unwired')
    },
  }
}
