import { InvalidArgumentError, Option } from 'commander'
import { defaultThreadCount, parseThreadCount } from '../../core/engine/backend/threadCount'

/** `--threads N`: CPU threads for training on the WebAssembly backend; reaches worker processes as S4MI_THREADS. */
export function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    `CPU threads for training on WebAssembly (default: all cores but one, here ${defaultThreadCount()})`,
  ).argParser((v: string) => {
    try {
      return parseThreadCount(v, '--threads')
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e))
    }
  })
}

/** The training worker processes choose their backend the same way as this process: through the env. */
export function passThreadsToWorkers(threads: number | undefined): void {
  if (threads != null) process.env.S4MI_THREADS = String(threads)
}
