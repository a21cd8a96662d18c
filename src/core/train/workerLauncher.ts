import { fork } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { FromWorker, ToWorker } from './workerProtocol'

/** A running worker process, whatever started it (child_process here, Electron's utilityProcess in the app). */
export interface WorkerChannel {
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Called once when the process ends, with its exit code (null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type WorkerLauncher = () => WorkerChannel

/** Where the worker entry is: the built bundle next to this one, or the TypeScript source run through tsx. */
export function workerEntry(): { file: string; execArgv: string[] } {
  const candidates = [
    path.join(__dirname, 'jobWorker.cjs'),
    path.join(__dirname, '..', '..', '..', 'out', 'node', 'jobWorker.cjs'),
    path.join(process.cwd(), 'out', 'node', 'jobWorker.cjs'),
  ]
  const built = candidates.find((f) => fs.existsSync(f))
  // Tests run the source so they never exercise a stale bundle; the E2E tests cover the bundle.
  if (built && !process.env.S4MI_WORKER_FROM_SOURCE && !process.env.VITEST)
    return { file: built, execArgv: [] }
  return { file: path.join(__dirname, 'jobWorker.ts'), execArgv: ['--import', 'tsx'] }
}

/** Serve and CLI mode: one child process per training job; a crash in it never takes the app down. */
export const forkLauncher: WorkerLauncher = () => {
  const entry = workerEntry()
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    send: (m) => {
      if (child.connected) child.send(m)
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => child.kill('SIGKILL'),
  }
}
