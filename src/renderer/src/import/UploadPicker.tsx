import { useState, type DragEvent } from 'react'
import { droppedFiles } from './droppedFiles'
import { formatBytes, pickedFiles, type PickedFile } from './uploadFiles'

function describe(files: PickedFile[]): string {
  const bytes = files.reduce((n, f) => n + f.file.size, 0)
  const folders = new Set(
    files.map((f) => f.path.split('/')[0]).filter((_, i) => files[i].path.includes('/')),
  )
  const from = folders.size === 1 ? ` from ${[...folders][0]}` : ''
  return `${files.length} file${files.length === 1 ? '' : 's'}${from} · ${formatBytes(bytes)}`
}

/** Choose what to send from this computer: a folder, some files, or a drop of either onto the zone. */
export function UploadPicker({
  files,
  disabled,
  onChange,
}: {
  files: PickedFile[]
  disabled: boolean
  onChange: (files: PickedFile[]) => void
}) {
  const [over, setOver] = useState(false)
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    if (!disabled) void droppedFiles(e.dataTransfer).then(onChange)
  }
  return (
    <div
      className={over ? 'drop-zone drop-zone-over' : 'drop-zone'}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>Drop a dataset folder or images here, or choose them:</p>
      <div className="drop-zone-buttons">
        <label className="button">
          Choose a folder…
          <input
            type="file"
            aria-label="Choose a folder to upload"
            // A folder picker in every browser we serve to; React does not know the attribute's name.
            {...{ webkitdirectory: '' }}
            multiple
            hidden
            disabled={disabled}
            onChange={(e) => onChange(pickedFiles(e.target.files ?? []))}
          />
        </label>
        <label className="button">
          Choose files…
          <input
            type="file"
            aria-label="Choose files to upload"
            multiple
            hidden
            disabled={disabled}
            onChange={(e) => onChange(pickedFiles(e.target.files ?? []))}
          />
        </label>
      </div>
      <p className="muted" data-testid="upload-choice">
        {files.length ? describe(files) : 'Nothing chosen yet'}
      </p>
    </div>
  )
}
