import { ImportCancelled } from './importError'

/**
 * Waits for `work` unless `signal` aborts first: then it rejects with ImportCancelled at once.
 *
 * libvips cannot be interrupted mid-decode, so a cancelled decode of a huge image runs on in sharp's
 * thread until it finishes; its result is dropped, and nothing after the await (no blob write, no row) runs.
 * This is what lets an import job end within a second of a cancel even inside one image's decode.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.reject(new ImportCancelled())
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined)
      reject(new ImportCancelled())
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e as Error)
      },
    )
  })
}
