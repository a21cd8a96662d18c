import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { realPathInside } from './confinedPath'

/**
 * Makes a rename or a new entry in `dir` durable: on POSIX a file's fsync does not cover the directory entry
 * naming it. Windows cannot open folders for fsync (and NTFS journals the entry itself).
 */
function fsyncFolder(dir: string): void {
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** A content-addressed folder: blobs are named by their SHA-256, written once, never edited. */
export class BlobStore {
  /**
   * Absolute: a blob's path is checked against this folder (realPathInside resolves it from here), and a
   * relative folder would be joined twice, so every blob of a project opened as `proj` read as missing.
   */
  readonly dir: string

  constructor(dir: string) {
    this.dir = path.resolve(dir)
    fs.mkdirSync(path.join(this.dir, 'tmp'), { recursive: true })
  }

  static hash(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex')
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Not a blob hash: ${JSON.stringify(hash)}`)
    return path.join(this.dir, hash.slice(0, 2), hash.slice(2))
  }

  has(hash: string): boolean {
    return fs.existsSync(this.pathOf(hash))
  }

  /**
   * Writes atomically (temp file, fsync, rename, fsync of the folder) so a crash never leaves a half blob
   * under a real name, nor loses a blob whose row committed. A blob already stored is touched instead: its
   * new modification time tells the sweep (sweepUnreferencedBlobs) that a writer is about to name it.
   */
  put(data: Uint8Array): string {
    const hash = BlobStore.hash(data)
    if (this.touch(hash)) return hash
    return this.moveIn(hash, (tmp) => {
      const fd = fs.openSync(tmp, 'w')
      try {
        fs.writeSync(fd, data)
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
    })
  }

  /** Puts a temp file (written and fsynced by `write`) in place as blob `hash`, durably. */
  moveIn(hash: string, write: (tmp: string) => void): string {
    const target = this.pathOf(hash)
    const folder = path.dirname(target)
    if (!fs.existsSync(folder)) {
      fs.mkdirSync(folder, { recursive: true })
      fsyncFolder(this.dir)
    }
    const tmp = this.tempPath(hash)
    try {
      write(tmp)
      fs.renameSync(tmp, target)
    } finally {
      fs.rmSync(tmp, { force: true })
    }
    fsyncFolder(folder)
    return hash
  }

  /** A fresh name in the temp folder. */
  tempPath(tag: string): string {
    return path.join(this.dir, 'tmp', `${tag}.${process.pid}.${randomBytes(4).toString('hex')}`)
  }

  /** Marks an existing blob as just written; false when there is no such blob. */
  touch(hash: string): boolean {
    const now = new Date()
    try {
      fs.utimesSync(this.pathOf(hash), now, now)
      return true
    } catch {
      return false
    }
  }

  /** The blob's bytes; a blob that is a symlink leading out of the blob folder is refused as missing. */
  get(hash: string): Buffer {
    const p = realPathInside(this.dir, this.pathOf(hash))
    try {
      if (!p) throw new Error('missing')
      return fs.readFileSync(p)
    } catch {
      throw new Error(`Blob ${hash} is missing from ${this.dir}`)
    }
  }

  /**
   * The blob as text when it is JSON (starts with `{"` or `[`, allowing whitespace) and at most `limit`
   * bytes, else null. Binary blobs (PNGs, checkpoints whose length prefix may happen to be `{`) are not read.
   */
  readIfJson(hash: string, limit: number): string | null {
    let fd: number
    try {
      fd = fs.openSync(this.pathOf(hash), 'r')
    } catch {
      return null
    }
    try {
      const size = fs.fstatSync(fd).size
      const head = Buffer.alloc(2)
      if (size > limit || fs.readSync(fd, head, 0, 2, 0) !== 2) return null
      if (!/^[{[][\s"\]}[{]$/.test(head.toString('latin1'))) return null
      const all = Buffer.alloc(size)
      fs.readSync(fd, all, 0, size, 0)
      return all.toString('utf8')
    } finally {
      fs.closeSync(fd)
    }
  }

  /** All stored hashes (for garbage collection of blobs that no row references). */
  list(): string[] {
    const out: string[] = []
    for (const prefix of fs.readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue
      for (const rest of fs.readdirSync(path.join(this.dir, prefix)))
        if (/^[0-9a-f]{62}$/.test(rest)) out.push(prefix + rest)
    }
    return out
  }

  delete(hash: string): void {
    fs.rmSync(this.pathOf(hash), { force: true })
  }

  /**
   * Deletes a blob last written before `before` (ms since the epoch). It is first moved aside and its time
   * read again, so a writer that touched it meanwhile (put of the same bytes) keeps it: put either touched
   * it before the move (the time is new: moved back) or finds it gone and writes it anew.
   */
  removeIfOlder(hash: string, before: number): boolean {
    const target = this.pathOf(hash)
    try {
      if (fs.statSync(target).mtimeMs >= before) return false
    } catch {
      return false
    }
    const aside = this.tempPath(`sweep-${hash}`)
    try {
      fs.renameSync(target, aside)
    } catch {
      return false
    }
    if (fs.statSync(aside).mtimeMs >= before) {
      // Touched between the two looks: put it back unless a writer already stored it again.
      if (fs.existsSync(target)) fs.rmSync(aside, { force: true })
      else fs.renameSync(aside, target)
      return false
    }
    fs.rmSync(aside, { force: true })
    return true
  }

  /** Leftovers of writes interrupted by a crash, last written before `before` (default: all). */
  clearTemp(before = Infinity): number {
    let removed = 0
    const tmp = path.join(this.dir, 'tmp')
    for (const f of fs.readdirSync(tmp)) {
      const file = path.join(tmp, f)
      try {
        if (fs.statSync(file).mtimeMs >= before) continue
        fs.rmSync(file, { force: true })
        removed++
      } catch {
        // Gone meanwhile: its writer renamed it into place.
      }
    }
    return removed
  }
}
