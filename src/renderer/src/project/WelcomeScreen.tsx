import { useState } from 'react'
import type { JobState } from '../../../shared/events'
import type { ProjectInfo, RecentProject } from '../../../shared/types'
import { CreateProjectForm } from './CreateProjectForm'
import { DemoChooser } from './DemoChooser'
import { OpenProjectForm } from './OpenProjectForm'
import type { useDemoCreation } from './useDemoCreation'

/** First start without a project: the demo first (real images at once, offline), then create or open. */
export function WelcomeScreen({
  recent,
  suggestedParent,
  demo,
  demoJob,
  onProject,
}: {
  recent: RecentProject[]
  suggestedParent: string | null
  demo: ReturnType<typeof useDemoCreation>
  demoJob: JobState | null
  onProject: (p: ProjectInfo) => void
}) {
  const [creating, setCreating] = useState(false)
  return (
    <div className="welcome" data-testid="welcome">
      <section className="welcome-hero">
        <h1>Welcome to S4MI Studio</h1>
        <p className="lead">
          Label a few images, train self- and semi-supervised models on this computer, and compare methods
          across label fractions. Start with a demo project: it is generated on the spot, with images, labels
          and masks.
        </p>
      </section>
      <DemoChooser demo={demo} demoJob={demoJob} />
      <section className="welcome-columns">
        <article className="card">
          <h2>Create a project</h2>
          {creating ? (
            <CreateProjectForm
              suggestedParent={suggestedParent}
              onCreated={onProject}
              onCancel={() => setCreating(false)}
            />
          ) : (
            <>
              <p className="muted">Your own images: choose classes and whether an image can carry several.</p>
              <button type="button" className="button" onClick={() => setCreating(true)}>
                New project…
              </button>
            </>
          )}
        </article>
        <article className="card">
          <h2>Open a project</h2>
          <OpenProjectForm recent={recent} onOpened={onProject} />
        </article>
      </section>
    </div>
  )
}
