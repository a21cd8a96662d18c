import { resumeInterruptedRuns, startTraining } from '../train/trainingJobs'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

export function trainingHandlers(session: Session): HandlerGroup<'train.start' | 'training.setThreads'> {
  // Runs a crash or a restart interrupted go back in the queue as soon as their project is open again.
  session.onEvent((e) => {
    if (e.type === 'project' && e.change === 'opened') resumeInterruptedRuns(session, session.launchWorker)
  })
  return {
    'training.setThreads': async ({ threads }) => session.setThreads(threads),
    'train.start': async (input) => {
      const jobs = startTraining(session, input, session.launchWorker)
      session.emit({ type: 'project', change: 'runs' })
      return { jobIds: jobs.map((j) => j.id) }
    },
  }
}
