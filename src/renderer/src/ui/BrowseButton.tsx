import { useState } from 'react'
import type { DialogPurpose } from '../../../shared/contract/dialogs'
import { client } from '../api/client'

/**
 * Desktop: opens the system's file dialog (through the contract's `dialog.pick`) and hands back the path
 * picked. Where native dialogs are unavailable (serve mode) it shows nothing: the typed path and uploads
 * remain.
 */
export function BrowseButton({
  purpose,
  label = 'Browse…',
  disabled,
  onPick,
}: {
  purpose: DialogPurpose
  label?: string
  disabled?: boolean
  onPick: (paths: string[]) => void
}) {
  const [available, setAvailable] = useState(client.transport === 'ipc')
  if (!available) return null
  const pick = async () => {
    const r = await client.call('dialog.pick', { purpose })
    if (!r.available) setAvailable(false)
    else if (r.paths.length) onPick(r.paths)
  }
  return (
    <button type="button" className="button" disabled={disabled} onClick={() => void pick()}>
      {label}
    </button>
  )
}
