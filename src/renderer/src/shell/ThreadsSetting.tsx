import { useState } from 'react'
import { client } from '../api/client'

/** How many CPU cores training may use, in the status bar: the next run starts with the new count. */
export function ThreadsSetting({ threads, max }: { threads: number; max: number }) {
  const [value, setValue] = useState(threads)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (max <= 1) return null
  const choose = (n: number) => {
    setValue(n)
    setBusy(true)
    client.call('training.setThreads', { threads: n }).then(
      () => {
        setBusy(false)
        setError(null)
      },
      (e: Error) => {
        setBusy(false)
        setError(e.message)
      },
    )
  }
  return (
    <label className="status-item" title={error ?? 'CPU cores a training run may use (from the next run on)'}>
      CPU cores for training{' '}
      <select
        data-testid="training-threads"
        value={value}
        disabled={busy}
        onChange={(e) => choose(Number(e.target.value))}
      >
        {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {error && ' ⚠'}
    </label>
  )
}
