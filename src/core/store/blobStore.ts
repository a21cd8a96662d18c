import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { realPathInside } from './confinedPath'

/** A content-addressed folder: blobs are named by their SHA-256, written once, never edited. */
export class BlobStore {
  constructor(readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true })
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

  /** Writes atomically (temp file, fsync, rename) so a crash never leaves a half blob under a real name. */
  put(data: Uint8Array): string {
    const hash = BlobStore.hash(data)
    const target = this.pathOf(hash)
    if (fs.existsSync(target)) return hash
    fs.mkdirSync(path.dirname(target), { recursive: true })
    const tmp = path.join(this.dir, 'tmp', `${hash}.${process.pid}.${randomBytes(4).toString('hex')}`)
    const fd = fs.openSync(tmp, 'w')
    try {
      fs.writeSync(fd, data)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, target)
    return hash
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

  /** All stored hashes (for garbage collection of blobs that no row references). */
  list(): string[] {
    const out: string[] = []
    for (const prefix of fs.readdirSync(this.dir)) {
      if (prefix === 'tmp' || prefix.length !== 2) continue
      for (const rest of fs.readdirSync(path.join(this.dir, prefix))) out.push(prefix + rest)
    }
    return out
  }

  delete(hash: string): void {
    fs.rmSync(this.pathOf(hash), { force: true })
  }

  /** Leftovers of writes interrupted by a crash. */
  clearTemp(): void {
    for (const f of fs.readdirSync(path.join(this.dir, 'tmp')))
      fs.rmSync(path.join(this.dir, 'tmp', f), { force: true })
  }
}
