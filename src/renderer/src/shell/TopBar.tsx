import type { ProjectInfo } from '../../../shared/types'
import type { ProjectDialog } from '../../../shared/menuCommands'

export type TopBarAction = ProjectDialog

/** The project in hand and what can be done with projects. */
export function TopBar({
  project,
  onAction,
}: {
  project: ProjectInfo | null
  onAction: (a: TopBarAction) => void
}) {
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        S4MI Studio
      </div>
      {project && (
        <div className="project-title" data-testid="project-title">
          <strong>{project.name}</strong>
          <span className="chip">{project.labelMode}</span>
          <span className="muted project-dir" title={project.dir}>
            {project.dir}
          </span>
        </div>
      )}
      <nav className="top-actions" aria-label="Project">
        {project && (
          <button type="button" className="button" onClick={() => onAction('import')}>
            Import…
          </button>
        )}
        <button type="button" className="button" onClick={() => onAction('open')}>
          Open…
        </button>
        <button type="button" className="button" onClick={() => onAction('create')}>
          New…
        </button>
        <button type="button" className="button button-accent" onClick={() => onAction('demo')}>
          New demo project
        </button>
      </nav>
    </header>
  )
}
