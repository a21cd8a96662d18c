import { useState, type FormEvent } from 'react'
import type { ProjectInfo, RecentProject } from '../../../shared/types'
import { client } from '../api/client'
import { BrowseButton } from '../ui/BrowseButton'

/** Open by folder path, or pick one of the recent projects. */
export function OpenProjectForm({
  recent,
  onOpened,
}: {
  recent: RecentProject[]
  onOpened: (p: ProjectInfo) => void
}) {
  const [dir, setDir] = useState('')
  const [error, setError] = useState<string | null>(null)
  const open = async (target: string) => {
    try {
      setError(null)
      onOpened(await client.call('project.open', { dir: target }))
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <div className="form">
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          void open(dir)
        }}
      >
        <input
          aria-label="Project folder"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          placeholder="/path/to/project"
        />
        <button type="submit" className="button">
          Open
        </button>
        <BrowseButton purpose="openProject" onPick={([p]) => void open(p)} />
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {recent.length > 0 && (
        <ul className="recent-list" aria-label="Recent projects">
          {recent.map((r) => (
            <li key={r.dir}>
              <button type="button" className="recent-item" onClick={() => void open(r.dir)}>
                <strong>{r.name}</strong>
                <span className="muted">{r.dir}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
