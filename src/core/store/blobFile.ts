import { createHash } from 'node:crypto'
import fs from 'node:fs'
import type { BlobStore } from './blobStore'

/** SHA-256 of a file, read in chunks so multi-gigabyte slides never sit in memory whole. */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

/**
 * Stores a file as a blob by streaming it (copy to a temp file, then rename), for files too big to read
 * into memory. Returns the hash and whether this call created the blob (false: it was already stored).
 */
export async function putBlobFile(
  blobs: BlobStore,
  file: string,
  /** A cancel stops the copy at once and leaves no blob. */
  signal?: AbortSignal,
): Promise<{ hash: string; created: boolean }> {
  const tmp = blobs.tempPath('file')
  const h = createHash('sha256')
  try {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(tmp)
      const input = fs.createReadStream(file, { highWaterMark: 1 << 22 })
      input.on('data', (c) => h.update(c as Buffer))
      input.on('error', reject)
      out.on('error', reject)
      out.on('finish', resolve)
      const stop = () => {
        input.destroy()
        out.destroy()
        reject(new Error('Copy cancelled'))
      }
      if (signal?.aborted) return stop()
      signal?.addEventListener('abort', stop, { once: true })
      out.on('close', () => signal?.removeEventListener('abort', stop))
      input.pipe(out)
    })
    const hash = h.digest('hex')
    // Already stored: touched, so the sweep on open sees a writer is about to name it.
    if (blobs.touch(hash)) return { hash, created: false }
    blobs.moveIn(hash, (into) => {
      const fd = fs.openSync(tmp, 'r')
      try {
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
      fs.renameSync(tmp, into)
    })
    return { hash, created: true }
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}
