import fs from 'node:fs'

/**
 * The largest weights file the app imports. ViT-B/16's ImageNet safetensors is about 350 MB and
 * ResNet-50's about 100 MB; 2 GiB leaves room for larger backbones while refusing /dev/zero-sized reads
 * (issue #19 item 3: a whole-file read of /dev/zero took the server to 4.5 GB).
 */
export const MAX_WEIGHTS_BYTES = 2 * 1024 ** 3

/** Bytes read per call: the file arrives in chunks, never as one unbounded read. */
const CHUNK = 16 * 1024 * 1024

/**
 * Reads a weights file the user named: only a regular file (a FIFO, a device or a folder is refused
 * before any read, so nothing can hang the server), no larger than `maxBytes`, read in chunks from one
 * open descriptor whose size is checked on that descriptor. Messages name the file and the problem and
 * never quote its content.
 */
export function readWeightsFile(file: string, maxBytes = MAX_WEIGHTS_BYTES): Buffer {
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
    if (stat.size > maxBytes) {
      throw new Error(
        `${file}: ${(stat.size / 1024 ** 3).toFixed(2)} GiB is larger than the ${(maxBytes / 1024 ** 3).toFixed(2)} GiB a weights file may be`,
      )
    }
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

function kindOf(s: fs.Stats): string {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a named pipe'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  if (s.isSocket()) return 'a socket'
  return 'not a file'
}
