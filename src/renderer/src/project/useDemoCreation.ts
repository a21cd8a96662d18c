import { useCallback, useState } from 'react'
import type { LabelMode, ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'

/** Creates the demo project (a job on the core side; its progress arrives as job events). */
export function useDemoCreation(onCreated: (p: ProjectInfo) => void): {
  create: (variant: LabelMode) => Promise<void>
  busy: LabelMode | null
  error: string | null
} {
  const [busy, setBusy] = useState<LabelMode | null>(null)
  const [error, setError] = useState<string | null>(null)
  const create = useCallback(
    async (variant: LabelMode) => {
      setBusy(variant)
      setError(null)
      try {
        onCreated(await client.call('demo.create', { variant }))
      } catch (e) {
        setError(`The demo project could not be made: ${(e as Error).message}`)
      } finally {
        setBusy(null)
      }
    },
    [onCreated],
  )
  return { create, busy, error }
}
