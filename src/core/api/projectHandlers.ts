import type { AppStatus } from '../../shared/api'
import { addClass, listClasses } from '../store/classes'
import { lockEvaluationMasks } from '../store/evaluationMasks'
import { addMaskClass, listMaskClasses, setMaskClassColour } from '../store/maskClasses'
import { createProject } from '../store/project'
import { projectInfo } from '../store/projectInfo'
import { maxThreadCount } from '../engine/backend/threadCount'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function projectHandlers(
  session: Session,
): HandlerGroup<
  | 'app.status'
  | 'project.create'
  | 'project.open'
  | 'project.close'
  | 'project.info'
  | 'classes.add'
  | 'project.lockEvaluationMasks'
  | 'maskClasses.add'
  | 'maskClasses.setColour'
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
    'project.lockEvaluationMasks': async ({ locked }) => {
      const p = session.requireProject()
      lockEvaluationMasks(p, locked)
      session.emit({ type: 'project', change: 'classes' })
      return projectInfo(p)
    },
    'maskClasses.add': async ({ name, color }) => {
      const p = session.requireProject()
      addMaskClass(p, name, color)
      session.emit({ type: 'project', change: 'classes' })
      return listMaskClasses(p)
    },
    'maskClasses.setColour': async ({ id, color }) => {
      const p = session.requireProject()
      setMaskClassColour(p, id, color)
      session.emit({ type: 'project', change: 'classes' })
      return listMaskClasses(p)
    },
  }
}
