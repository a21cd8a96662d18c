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

/**
 * The worker entry that belongs to the running code: the bundle's sibling jobWorker.cjs when running from
 * out/node (serve, CLI), the TypeScript source through tsx when running from source (tests, tsx), so the two
 * are never mixed and a stale bundle is never used by the source or the other way round.
 */
export function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts'))
    return { file: path.join(__dirname, 'jobWorker.ts'), execArgv: ['--import', 'tsx'] }
  const built = path.join(__dirname, 'jobWorker.cjs')
  if (!fs.existsSync(built)) throw new Error(`The training worker ${built} is missing: run npm run build`)
  return { file: built, execArgv: [] }
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
