import { useState } from 'react'
import { client } from '../api/client'
import { BrowseButton } from '../ui/BrowseButton'
import { downloadExport } from './downloadExport'

/**
 * Export masks (PNG, COCO RLE) and labels (CSV): in a browser as a zip download; to a folder on the server
 * (the advanced choice, as scripts use it), or read such a folder back.
 */
export function ExportPanel({ onImported }: { onImported?: () => void }) {
  const canDownload = client.transport === 'http'
  const [dir, setDir] = useState('')
  const [maskValues, setMaskValues] = useState<'index' | 'binary'>('index')
  const [overwrite, setOverwrite] = useState(false)
  const [from, setFrom] = useState<'png' | 'coco'>('png')
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const download = async () => {
    setError(null)
    setMessage(null)
    try {
      const r = await downloadExport(maskValues)
      setMessage(
        `Downloaded ${r.fileName}: ${r.masks} masks (${r.annotations} COCO annotations) and ${r.labelledImages} labelled images`,
      )
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const run = async (what: 'export' | 'import') => {
    setError(null)
    setMessage(null)
    try {
      if (what === 'export') {
        const r = await client.call('annotations.export', { dir, maskValues, overwrite })
        setMessage(
          `Exported ${r.masks} masks (${r.annotations} COCO annotations) and ${r.labelledImages} labelled images to ${r.dir}`,
        )
      } else {
        const r = await client.call('annotations.import', { dir, masks: from, labels: true })
        setMessage(`Imported ${r.masks} masks and ${r.labelledImages} labelled images`)
        onImported?.()
      }
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <section className="export-panel" aria-label="Export and import">
      <h2>Export / import annotations</h2>
      <label>
        Mask values{' '}
        <select
          value={maskValues}
          onChange={(e) => setMaskValues(e.target.value as 'index' | 'binary')}
          aria-label="Mask values"
        >
          <option value="index">Class indices (0, 1, 2 …)</option>
          <option value="binary">0 / 255</option>
        </select>
      </label>
      {canDownload && (
        <button type="button" onClick={() => void download()}>
          Download masks (PNG + COCO) and labels (CSV) as a zip
        </button>
      )}
      {canDownload && <h3>Advanced: a folder on the server</h3>}
      <label>
        Folder{' '}
        <input
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          aria-label="Export folder"
          placeholder="/path/to/folder"
        />
      </label>
      <BrowseButton purpose="exportFolder" label="Choose a folder…" onPick={([p]) => setDir(p)} />
      <label>
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace
        files if the folder already holds some
      </label>
      <button type="button" disabled={!dir} onClick={() => void run('export')}>
        Export masks (PNG + COCO) and labels (CSV)
      </button>
      <label>
        Read masks from{' '}
        <select
          value={from}
          onChange={(e) => setFrom(e.target.value as 'png' | 'coco')}
          aria-label="Import masks from"
        >
          <option value="png">PNG folder</option>
          <option value="coco">COCO JSON</option>
        </select>
      </label>
      <button type="button" disabled={!dir} onClick={() => void run('import')}>
        Import
      </button>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
