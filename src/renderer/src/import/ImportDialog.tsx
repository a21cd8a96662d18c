import { useRef, useState, type FormEvent } from 'react'
import type { JobState } from '../../../shared/events'
import type { GeoJsonImportSummary } from '../../../shared/types'
import { client } from '../api/client'
import { callProblem, type CallProblem } from '../ui/fieldIssues'
import { BrowseButton } from '../ui/BrowseButton'
import { Modal } from '../ui/Modal'
import { ProgressBar } from '../ui/ProgressBar'
import { importProblems } from './importProblems'
import { QuPathImportOptions, QuPathImportResult, type QuPathImportChoices } from './QuPathImport'
import { UploadPicker } from './UploadPicker'
import { formatBytes, uploadFiles, type PickedFile, type UploadProgress } from './uploadFiles'

type Format = 'isic2017' | 'dermofit' | 'folder' | 'images' | 'geojson'

const FORMATS: { value: Format; label: string; hint: string }[] = [
  {
    value: 'folder',
    label: 'Folder',
    hint: 'images/, optional masks/ (same names) and labels.csv (image,<class…>)',
  },
  {
    value: 'isic2017',
    label: 'ISIC 2017',
    hint: 'The challenge folders with their ground-truth CSV and masks',
  },
  { value: 'dermofit', label: 'Dermofit', hint: 'The Dermofit library: one folder per lesion with its mask' },
  {
    value: 'images',
    label: 'Single images or slides',
    hint: 'One image or whole slide (SVS, OME-TIFF, NDPI…), or a folder of them, without labels',
  },
  {
    value: 'geojson',
    label: 'QuPath GeoJSON',
    hint: 'Masks for images already here: QuPath’s Export objects as GeoJSON, one file per image or a folder of them',
  },
]

const BROWSE = {
  images: { purpose: 'importFiles', label: 'Choose an image or slide…' },
  geojson: { purpose: 'importGeoJson', label: 'Choose a GeoJSON file…' },
  dataset: { purpose: 'importFolder', label: 'Choose a folder…' },
} as const

/** Resolutions slides can be tiled at for training: pathologists train at 10× or 20×, not a scan's 40×. */
const TILE_MAGNIFICATIONS = [40, 20, 10, 5]

/**
 * Import a dataset as a job: progress and Cancel while it runs, every refused file listed when it fails.
 * In a browser the files are uploaded first (with their own progress); a path on the server stays available
 * as the advanced choice, as the CLI and scripts use it.
 */
export function ImportDialog({ jobs, onClose }: { jobs: JobState[]; onClose: () => void }) {
  const canUpload = client.transport === 'http'
  const [format, setFormat] = useState<Format>('folder')
  const [path, setPath] = useState('')
  const [typedPath, setTypedPath] = useState(!canUpload)
  const [files, setFiles] = useState<PickedFile[]>([])
  const [upload, setUpload] = useState<UploadProgress | null>(null)
  const uploadAbort = useRef<AbortController | null>(null)
  const [tileMagnification, setTileMagnification] = useState<number | null>(null)
  const [qupath, setQuPath] = useState<QuPathImportChoices>({ createClasses: false, skipUnclassified: false })
  const [jobId, setJobId] = useState<string | null>(null)
  const [problem, setProblem] = useState<CallProblem | null>(null)
  const job = jobId ? (jobs.find((j) => j.id === jobId) ?? null) : null
  const uploading = upload !== null
  const active = uploading || (job !== null && (job.status === 'queued' || job.status === 'running'))

  const start = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    setJobId(null)
    const options = {
      format,
      ...(format === 'images' && tileMagnification ? { tileMagnification } : {}),
      ...(format === 'geojson' ? qupath : {}),
    }
    try {
      if (typedPath) {
        setJobId((await client.call('import.start', { ...options, path })).jobId)
        return
      }
      if (files.length === 0) throw new Error('Choose a folder or files to import first')
      const abort = new AbortController()
      uploadAbort.current = abort
      setUpload({ sent: 0, total: 1, file: '', files: 0, count: files.length })
      const uploadId = await uploadFiles(files, setUpload, abort.signal).finally(() => setUpload(null))
      setJobId((await client.call('upload.import', { ...options, uploadId })).jobId)
    } catch (err) {
      if ((err as Error).name === 'AbortError')
        setProblem({ message: 'Upload cancelled: nothing was imported', fields: {} })
      else setProblem(callProblem(err))
    }
  }
  const cancel = () => {
    if (uploading) uploadAbort.current?.abort()
    else if (job) void client.call('jobs.cancel', { jobId: job.id })
  }
  const rows = job?.status === 'failed' ? importProblems(job.error, job.result) : []
  const browse = BROWSE[format === 'images' || format === 'geojson' ? format : 'dataset']
  return (
    <Modal title="Import images" onClose={onClose}>
      <form className="form" onSubmit={start} noValidate>
        <fieldset className="field" disabled={active}>
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.value} className="radio">
              <input
                type="radio"
                name="format"
                checked={format === f.value}
                onChange={() => setFormat(f.value)}
              />
              <span>
                <strong>{f.label}</strong> <span className="muted">{f.hint}</span>
              </span>
            </label>
          ))}
          {problem?.fields.format && <span className="field-error">{problem.fields.format}</span>}
        </fieldset>
        {canUpload && !typedPath && <UploadPicker files={files} disabled={active} onChange={setFiles} />}
        {canUpload && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={typedPath}
              disabled={active}
              onChange={(e) => setTypedPath(e.target.checked)}
            />{' '}
            Advanced: type a path on the server instead
          </label>
        )}
        {typedPath && (
          <label className="field">
            <span>Folder or file path</span>
            <input
              aria-label="Import path"
              value={path}
              disabled={active}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/data/ISIC-2017"
            />
            {problem?.fields.path && <span className="field-error">{problem.fields.path}</span>}
          </label>
        )}
        {typedPath && (
          <div className="drop-zone-buttons">
            <BrowseButton
              purpose={browse.purpose}
              label={browse.label}
              disabled={active}
              onPick={([p]) => setPath(p)}
            />
          </div>
        )}
        {format === 'images' && (
          <label className="field">
            <span>Cut slides into training tiles at</span>
            <select
              aria-label="Tile magnification"
              value={tileMagnification ?? ''}
              disabled={active}
              onChange={(e) => setTileMagnification(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">the scan&apos;s own resolution</option>
              {TILE_MAGNIFICATIONS.map((m) => (
                <option key={m} value={m}>
                  {m}×
                </option>
              ))}
            </select>
          </label>
        )}
        {format === 'geojson' && (
          <QuPathImportOptions choices={qupath} disabled={active} onChange={setQuPath} />
        )}
        {problem && Object.keys(problem.fields).length === 0 && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        {upload && (
          <div className="import-progress" data-testid="upload-progress">
            <ProgressBar
              fraction={upload.total ? upload.sent / upload.total : null}
              label="Upload progress"
            />
            <p>
              Uploading {formatBytes(upload.sent)} of {formatBytes(upload.total)} (file{' '}
              {Math.min(upload.files + 1, upload.count)} of {upload.count})
              {upload.file && <> · {upload.file}</>}
            </p>
          </div>
        )}
        {job && (
          <div className="import-progress" data-testid="import-progress">
            {job.status !== 'failed' && (
              <ProgressBar
                fraction={
                  job.status === 'succeeded' ? 1 : job.status === 'queued' ? 0 : job.progress.fraction
                }
                label="Import progress"
              />
            )}
            <p>
              <span className={`status-chip status-${job.status}`}>{job.status}</span>{' '}
              {job.status === 'failed'
                ? `${rows.length} problem${rows.length === 1 ? '' : 's'}`
                : job.progress.message}
            </p>
          </div>
        )}
        {job?.status === 'succeeded' && format === 'geojson' && (
          <QuPathImportResult summary={job.result as GeoJsonImportSummary} />
        )}
        {rows.length > 0 && (
          <div className="problem-list" role="alert">
            <h3>Nothing was imported. Fix these and try again:</h3>
            <ul>
              {rows.map((r, i) => (
                <li key={i}>
                  {r.file && <code>{r.file}</code>} {r.problem}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="form-actions">
          {active ? (
            <button type="button" className="button" onClick={cancel}>
              {uploading ? 'Cancel upload' : 'Cancel import'}
            </button>
          ) : (
            <button type="button" className="button" onClick={onClose}>
              {job?.status === 'succeeded' ? 'Done' : 'Close'}
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={active}>
            {job ? 'Import again' : 'Start import'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
