import type { AppStatus } from '../../shared/api'
import { addClass, listClasses } from '../store/classes'
import { createProject } from '../store/project'
import { projectInfo } from '../store/projectInfo'
import { maxThreadCount } from '../engine/backend/threadCount'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function projectHandlers(
  session: Session,
): HandlerGroup<
  'app.status' | 'project.create' | 'project.open' | 'project.close' | 'project.info' | 'classes.add'
> {
  return {
    'app.status': async (): Promise<AppStatus> => ({
      version: session.options.version,
      transport: session.options.transport,
      project: session.current ? projectInfo(session.current) : null,
      recent: session.recentProjects(),
      backend: session.backend,
      trainingThreads: { threads: session.threads, max: maxThreadCount() },
      jobs: session.jobs.list(),
    }),
    'project.create': async (input) => {
      const project = createProject(session.confinedDir(input.dir), input)
      session.adopt(project)
      return projectInfo(project)
    },
    'project.open': async ({ dir }) => projectInfo(session.open(session.confinedDir(dir))),
    'project.close': async () => {
      session.close()
      return null
    },
    'project.info': async () => projectInfo(session.requireProject()),
    'classes.add': async ({ name, color }) => {
      const p = session.requireProject()
      addClass(p, name, color)
      return listClasses(p)
    },
  }
}
