import { appLog } from '../appLog'
import type { JobStatus } from '../../shared/events'
import type { Session } from './session'

/**
 * The session events worth a line in the app log, the same in the desktop app and serve mode: the training
 * backend chosen, and every job that ends (succeeded, failed or cancelled, with its error). Returns the
 * unsubscribe.
 */
export function logSessionEvents(session: Pick<Session, 'onEvent'>): () => void {
  return session.onEvent((e) => {
    if (e.type === 'backend')
      appLog(
        `training backend: ${e.backend.name} on ${e.backend.device}, ${e.backend.threads} thread${e.backend.threads === 1 ? '' : 's'}` +
          (e.backend.warning ? ` — ${e.backend.warning}` : ''),
      )
    if (e.type === 'job' && ENDED.has(e.job.status))
      appLog(`job ${e.job.title}: ${e.job.status}${e.job.error ? ` — ${e.job.error}` : ''}`)
  })
}

const ENDED = new Set<JobStatus>(['succeeded', 'failed', 'cancelled'])
