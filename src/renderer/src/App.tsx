import { useCallback, useEffect, useState } from 'react'
import type { ProjectInfo } from '../../shared/types'
import { ImageGrid } from './images/ImageGrid'
import { ImagePage } from './images/ImagePage'
import { ImportDialog } from './import/ImportDialog'
import { JobsPanel } from './jobs/JobsPanel'
import { CreateProjectForm } from './project/CreateProjectForm'
import { DemoChooser } from './project/DemoChooser'
import { OpenProjectForm } from './project/OpenProjectForm'
import { useDemoCreation } from './project/useDemoCreation'
import { WelcomeScreen } from './project/WelcomeScreen'
import { ResultsPane } from './results/ResultsPane'
import { RunPage } from './results/RunPage'
import { NavRail } from './shell/NavRail'
import { StatusBar } from './shell/StatusBar'
import { TopBar, type TopBarAction } from './shell/TopBar'
import { useHashRoute } from './shell/useHashRoute'
import { useAppStatus } from './state/useAppStatus'
import { client } from './api/client'
import { useLiveJobs } from './state/useLiveJobs'
import { TrainingPanel } from './train/TrainingPanel'
import { Modal } from './ui/Modal'

/** The folder that holds the most recent project: where a new one most likely belongs. */
function parentOf(dir: string | undefined): string | null {
  if (!dir) return null
  const cut = Math.max(dir.lastIndexOf('/'), dir.lastIndexOf('\\'))
  return cut > 0 ? dir.slice(0, cut) : null
}

export function App() {
  const { status, error, refresh } = useAppStatus()
  const live = useLiveJobs()
  const [route, navigate] = useHashRoute()
  const [dialog, setDialog] = useState<TopBarAction | null>(null)

  const onProject = useCallback(
    (_p: ProjectInfo) => {
      setDialog(null)
      navigate({ view: 'images' })
      void refresh()
    },
    [navigate, refresh],
  )
  const demo = useDemoCreation(onProject)
  const demoJob = live.jobs.find(
    (j) => j.kind === 'demo' && (j.status === 'running' || j.status === 'queued'),
  )
  const closeDialog = useCallback(() => setDialog(null), [])
  // The desktop menu's project commands: the same dialogs as the top bar's buttons.
  useEffect(
    () =>
      client.onEvent((e) => {
        if (e.type !== 'menu') return
        if (e.command.type === 'dialog') setDialog(e.command.dialog)
        else if (e.command.type === 'navigate') navigate({ view: e.command.view })
      }),
    [navigate],
  )

  if (!status) {
    return (
      <div className="app-loading">
        <div className="brand">S4MI Studio</div>
        {error ? (
          <p className="form-error" role="alert">
            Cannot reach the app core: {error}
          </p>
        ) : (
          <p className="muted">Starting…</p>
        )}
      </div>
    )
  }

  const project = status.project
  const suggestedParent = parentOf(project?.dir ?? status.recent[0]?.dir)
  const activeJobs = live.jobs.filter((j) => j.status === 'running' || j.status === 'queued').length

  let main
  if (!project) {
    main = (
      <WelcomeScreen
        recent={status.recent}
        suggestedParent={suggestedParent}
        demo={demo}
        demoJob={demoJob ?? null}
        onProject={onProject}
      />
    )
  } else if (route.view === 'image') {
    main = (
      <ImagePage
        project={project}
        imageId={route.imageId}
        runId={route.runId}
        queue={route.queue}
        onNavigate={(imageId) =>
          navigate(
            route.queue
              ? { view: 'image', imageId, runId: route.runId, queue: route.queue }
              : { view: 'image', imageId },
          )
        }
        onClose={() => navigate({ view: 'images' })}
      />
    )
  } else if (route.view === 'train') {
    main = <TrainingPanel project={project} live={live} />
  } else if (route.view === 'results') {
    main = <ResultsPane onOpenRun={(runId) => navigate({ view: 'run', runId })} />
  } else if (route.view === 'run') {
    main = (
      <RunPage
        runId={route.runId}
        maskClasses={project.maskClasses}
        onBack={() => navigate({ view: 'results' })}
        onOpenImage={(imageId) => navigate({ view: 'image', imageId, runId: route.runId })}
      />
    )
  } else if (route.view === 'jobs') {
    main = <JobsPanel live={live} />
  } else {
    main = (
      <ImageGrid
        project={project}
        onOpen={(imageId) => navigate({ view: 'image', imageId })}
        onReview={(imageId, runId, queue) => navigate({ view: 'image', imageId, runId, queue })}
        onImport={() => setDialog('import')}
      />
    )
  }

  return (
    <div className={project ? 'app' : 'app app-no-project'}>
      <TopBar project={project} onAction={setDialog} />
      {project && <NavRail route={route} activeJobs={activeJobs} onNavigate={navigate} />}
      <main className="main">{main}</main>
      <StatusBar
        backend={status.backend}
        trainingThreads={status.trainingThreads}
        jobs={live.jobs}
        transport={status.transport}
        version={status.version}
      />
      {dialog === 'demo' && (
        <Modal title="New demo project" onClose={closeDialog}>
          <p className="muted">A synthetic dataset made on the spot, with labels and masks for both tasks.</p>
          <DemoChooser demo={demo} demoJob={demoJob ?? null} />
        </Modal>
      )}
      {dialog === 'create' && (
        <Modal title="New project" onClose={closeDialog}>
          <CreateProjectForm suggestedParent={suggestedParent} onCreated={onProject} onCancel={closeDialog} />
        </Modal>
      )}
      {dialog === 'open' && (
        <Modal title="Open a project" onClose={closeDialog}>
          <OpenProjectForm recent={status.recent} onOpened={onProject} />
        </Modal>
      )}
      {dialog === 'import' && project && <ImportDialog jobs={live.jobs} onClose={closeDialog} />}
    </div>
  )
}
