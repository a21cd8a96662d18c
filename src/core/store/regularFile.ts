import fs from 'node:fs'

/** Bytes read per call: the file arrives in chunks, never as one unbounded read. */
const CHUNK = 16 * 1024 * 1024

/** A size for a message: MiB below a GiB, GiB above. */
function sizeText(bytes: number): string {
  return bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024 ** 3).toFixed(2)} GiB`
}

/**
 * Reads a file the user named (weights, a CSV, a COCO or GeoJSON file, a mask): only a regular file (a
 * FIFO, a device or a folder is refused before any read, so nothing can hang the server or read
 * /dev/zero to its end), no larger than `maxBytes`, read in chunks from one open descriptor whose size is
 * checked on that descriptor. Messages name the file and the problem (`what` says what it should have
 * been) and never quote its content.
 */
export function readRegularFile(file: string, maxBytes: number, what: string): Buffer {
  let before: fs.Stats
  try {
    before = fs.statSync(file)
  } catch (e) {
    throw new Error(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (!before.isFile()) throw new Error(`${file}: not a regular file (${kindOf(before)}), so it is not read`)
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does not wait for a writer.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) throw new Error(`${file}: not a regular file (${kindOf(stat)}), so it is not read`)
    if (stat.size > maxBytes)
      throw new Error(
        `${file}: ${sizeText(stat.size)} is larger than the ${sizeText(maxBytes)} a ${what} may be`,
      )
    const out = Buffer.allocUnsafe(stat.size)
    let at = 0
    while (at < out.length) {
      const n = fs.readSync(fd, out, at, Math.min(CHUNK, out.length - at), at)
      if (n === 0) throw new Error(`${file}: the file got shorter while it was read`)
      at += n
    }
    return out
  } finally {
    fs.closeSync(fd)
  }
}

/** A file the user named, as UTF-8 text (see readRegularFile). */
export function readRegularText(file: string, maxBytes: number, what: string): string {
  return readRegularFile(file, maxBytes, what).toString('utf8')
}

function kindOf(s: fs.Stats): string {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a named pipe'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  if (s.isSocket()) return 'a socket'
  return 'not a file'
}
