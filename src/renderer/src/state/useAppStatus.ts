import { useCallback, useEffect, useState } from 'react'
import type { AppStatus } from '../../../shared/api'
import { client } from '../api/client'

/**
 * app.status, refreshed whenever the project, the backend or a job's status changes (not on every progress tick), so
 * the top bar, counts and status bar stay true without polling.
 */
export function useAppStatus(): {
  status: AppStatus | null
  error: string | null
  refresh: () => Promise<void>
} {
  const [status, setStatus] = useState<AppStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(
    () =>
      client.call('app.status', {}).then(
        (s) => {
          setStatus(s)
          setError(null)
        },
        (e: Error) => setError(e.message),
      ),
    [],
  )
  useEffect(() => {
    void refresh()
    const lastStatus = new Map<string, string>()
    return client.onEvent((e) => {
      if (e.type === 'backend') {
        setStatus((s) => (s ? { ...s, backend: e.backend } : s))
      } else if (e.type === 'project') {
        void refresh()
      } else if (e.type === 'job' && lastStatus.get(e.job.id) !== e.job.status) {
        lastStatus.set(e.job.id, e.job.status)
        void refresh()
      }
    })
  }, [refresh])
  return { status, error, refresh }
}
