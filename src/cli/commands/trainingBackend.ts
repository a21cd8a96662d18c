import {
  describeBackend,
  selectBackend,
  type BackendChoice,
  type BackendInfo,
} from '../../core/engine/backend/selectBackend'
import { passThreadsToWorkers } from './threadsOption'

/**
 * The backend a training command (train, experiment) uses, chosen as its worker processes will choose it (a
 * forced backend and the thread count reach them through the env), and the command's log, whose first line
 * announces it: stdout, or stderr when stdout carries the JSON result.
 */
export async function chooseTrainingBackend(o: {
  backend?: BackendChoice
  threads?: number
  json?: boolean
}): Promise<{ backend: BackendInfo; log: (line: string) => void }> {
  if (o.backend) process.env.S4MI_BACKEND = o.backend
  passThreadsToWorkers(o.threads)
  const backend = await selectBackend({ backend: o.backend, threads: o.threads })
  const log = (line: string) => (o.json ? process.stderr.write(line + '\n') : console.log(line))
  log(`Training backend: ${describeBackend(backend)}`)
  return { backend, log }
}
