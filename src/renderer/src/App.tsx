import { useEffect, useState } from 'react'
import type { AppStatus } from '../../shared/api'
import { client } from './api/client'

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    client.call('app.status', {}).then(setStatus, (e: Error) => setError(e.message))
  }, [])
  return (
    <main>
      <h1>S4MI Studio</h1>
      {error && <p role="alert">{error}</p>}
      {status && <p>Version {status.version}</p>}
    </main>
  )
}
