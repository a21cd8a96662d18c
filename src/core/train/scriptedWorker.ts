import type { WorkerChannel, WorkerLauncher } from './workerLauncher'
import type { FromWorker, ToWorker } from './workerProtocol'

// Test support: a training worker without a process or tfjs, for tests of the parent's bookkeeping.

/** A stand-in worker process driven by a script, so the parent's bookkeeping is tested without tfjs. */
export function scriptedLauncher(
  script: (w: { post(m: FromWorker): void; exit(code: number | null): void; received: ToWorker[] }) => void,
) {
  const launched: ToWorker[][] = []
  const launcher: WorkerLauncher = () => {
    const received: ToWorker[] = []
    launched.push(received)
    let onMessage: (m: FromWorker) => void = () => {}
    let onExit: (c: number | null) => void = () => {}
    // Messages and the exit arrive later and in the order the script sent them, as from a real process
    // (two timers of different lengths can fire out of order on a busy machine).
    const pending: (() => void)[] = []
    const flush = () => {
      pending.shift()?.()
      if (pending.length) setTimeout(flush, 1)
    }
    const later = (f: () => void) => {
      pending.push(f)
      if (pending.length === 1) setTimeout(flush, 1)
    }
    const ctl = {
      post: (m: FromWorker) => later(() => onMessage(m)),
      exit: (c: number | null) => later(() => onExit(c)),
      received,
    }
    const channel: WorkerChannel = {
      send: (m) => {
        received.push(m)
        script(ctl)
      },
      onMessage: (l) => (onMessage = l),
      onExit: (l) => (onExit = l),
      kill: () => ctl.exit(null),
    }
    return channel
  }
  return { launcher, launched }
}
