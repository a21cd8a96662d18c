import type { BackendStatus } from '../../../shared/api'
import type { JobState } from '../../../shared/events'
import { BackendWarning } from './BackendWarning'
import { ThreadsSetting } from './ThreadsSetting'

/** Where training runs (and a plain warning when that is a slow fallback), and what is running or waiting. */
export function StatusBar({
  backend,
  trainingThreads,
  jobs,
  transport,
  version,
}: {
  backend: BackendStatus | null
  trainingThreads: { threads: number; max: number }
  jobs: JobState[]
  transport: string
  version: string
}) {
  const running = jobs.filter((j) => j.status === 'running').length
  const queued = jobs.filter((j) => j.status === 'queued').length
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item" data-testid="backend-status">
        {backend ? (
          <>
            <span className={backend.slowFallback ? 'dot dot-warn' : 'dot dot-ok'} aria-hidden="true" />
            <span title={backend.skipped.length ? `Skipped: ${backend.skipped.join('; ')}` : undefined}>
              Backend: <strong>{backend.name}</strong> on {backend.device}
              {backend.accelerated && ' (accelerated)'}
            </span>
          </>
        ) : (
          <>
            <span className="dot" aria-hidden="true" />
            Backend: chosen when the first training starts
          </>
        )}
      </span>
      {backend && (backend.slowFallback || backend.warning) && <BackendWarning backend={backend} />}
      <ThreadsSetting threads={trainingThreads.threads} max={trainingThreads.max} />
      <span className="status-spacer" />
      <span className="status-item" data-testid="job-counts">
        {running} running · {queued} queued
      </span>
      <span className="status-item muted">
        {transport === 'http' ? 'serve mode' : 'desktop'} · v{version}
      </span>
    </footer>
  )
}
