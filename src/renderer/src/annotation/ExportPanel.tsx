import { useState } from 'react'
import type { ApiOutput } from '../../../shared/api'
import { client } from '../api/client'
import { BrowseButton } from '../ui/BrowseButton'
import { downloadExport } from './downloadExport'

type ExportFormat = 'masks' | 'geojson'

const WHAT: Record<ExportFormat, string> = {
  masks: 'masks (PNG + COCO) and labels (CSV)',
  geojson: 'masks as QuPath GeoJSON',
}

/** What an export wrote, in a sentence. */
function written(r: ApiOutput<'annotations.export' | 'annotations.exportZip'>): string {
  return r.format === 'geojson'
    ? `${r.features} QuPath GeoJSON objects of ${r.images} masks`
    : `${r.masks} masks (${r.annotations} COCO annotations) and ${r.labelledImages} labelled images`
}

/**
 * Export masks (PNG, COCO RLE) and labels (CSV), or masks as QuPath GeoJSON (one file per image): in a
 * browser as a zip download; to a folder on the server (the advanced choice, as scripts use it), or read a
 * PNG or COCO folder back (QuPath GeoJSON comes in through Import images).
 */
export function ExportPanel({ onImported }: { onImported?: () => void }) {
  const canDownload = client.transport === 'http'
  const [format, setFormat] = useState<ExportFormat>('masks')
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
      const r = await downloadExport(format, maskValues)
      setMessage(`Downloaded ${r.fileName}: ${written(r)}`)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const run = async (what: 'export' | 'import') => {
    setError(null)
    setMessage(null)
    try {
      if (what === 'export') {
        const r = await client.call('annotations.export', { dir, format, maskValues, overwrite })
        setMessage(`Exported ${written(r)} to ${r.dir}`)
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
        Export as{' '}
        <select
          value={format}
          onChange={(e) => setFormat(e.target.value as ExportFormat)}
          aria-label="Export format"
        >
          <option value="masks">PNG masks + COCO + labels CSV</option>
          <option value="geojson">QuPath GeoJSON (one file per image)</option>
        </select>
      </label>
      {format === 'masks' && (
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
      )}
      {canDownload && (
        <button type="button" onClick={() => void download()}>
          Download {WHAT[format]} as a zip
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
        Export {WHAT[format]}
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
