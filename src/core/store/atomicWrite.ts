import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Replaces a file so that readers see the old or the new content, never a torn one. */
export function atomicWriteFile(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = fs.openSync(tmp, 'w')
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
}
