import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'

const GiB = 1024 * 1024 * 1024

/** What one upload may hold; the server's request limits for uploads. */
export interface UploadLimits {
  /** All files of one upload together (a folder of dermoscopy images or a few whole slides). */
  maxBytes: number
  maxFiles: number
  /** Uploads staged at once in one session; a page that never finishes cannot fill the disk with more. */
  maxOpen: number
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 20 * GiB, maxFiles: 100_000, maxOpen: 4 }

/** Staging folders left by a crashed server are removed when a new upload begins after this long. */
const STALE_MS = 24 * 60 * 60 * 1000
const MAX_DEPTH = 32
const MAX_PATH_CHARS = 1024

export class UploadRefused extends Error {
  constructor(
    message: string,
    /** The HTTP status the server answers with. */
    readonly status: 400 | 404 | 409 | 413 = 400,
  ) {
    super(message)
    this.name = 'UploadRefused'
  }
}

/**
 * The parts of a relative path a browser sent (`webkitRelativePath`, or a dropped folder's walk). Only
 * plain names joined by `/` pass: no absolute path, `..`, `.`, empty part, backslash, drive colon or
 * control character, so a file can land nowhere but below its staging folder.
 */
export function uploadPathParts(relative: string): string[] {
  const shown = JSON.stringify(relative.slice(0, 200))
  if (relative.length === 0) throw new UploadRefused('the file has no name')
  if (relative.length > MAX_PATH_CHARS) throw new UploadRefused(`the path ${shown}… is too long`)
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\\:]/.test(relative))
    throw new UploadRefused(`the path ${shown} holds a backslash, colon or control character`)
  if (relative.startsWith('/')) throw new UploadRefused(`the path ${shown} is absolute`)
  const parts = relative.split('/')
  if (parts.length > MAX_DEPTH) throw new UploadRefused(`the path ${shown} is nested too deep`)
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new UploadRefused(`the path ${shown} leaves its folder or has an empty part (refused)`)
  return parts
}

interface Staged {
  dir: string
  bytes: number
  files: number
  /** Set once an import took the files: nothing more may be added. */
  sealed: boolean
}

/**
 * Files uploaded from a browser, streamed into a staging folder the session owns (inside its data folder,
 * so inside its allowed roots) until an import takes them. Whatever happens to that import, or when the
 * upload is abandoned, the folder is removed: the project only changes through the import's all-or-nothing
 * job.
 */
export class UploadStaging {
  private readonly uploads = new Map<string, Staged>()

  constructor(
    readonly root: string,
    readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  ) {}

  begin(): { uploadId: string; maxBytes: number } {
    this.sweepStale()
    if (this.uploads.size >= this.limits.maxOpen)
      throw new UploadRefused(
        `${this.uploads.size} uploads are already waiting to be imported: finish or cancel one first`,
        409,
      )
    const uploadId = randomBytes(16).toString('hex')
    const dir = path.join(this.root, uploadId)
    fs.mkdirSync(dir, { recursive: true })
    this.uploads.set(uploadId, { dir, bytes: 0, files: 0, sealed: false })
    return { uploadId, maxBytes: this.limits.maxBytes }
  }

  private staged(uploadId: string): Staged {
    const s = /^[0-9a-f]{32}$/.test(uploadId) ? this.uploads.get(uploadId) : undefined
    if (!s) throw new UploadRefused('uploadId: no such upload (it was imported, cancelled or expired)', 404)
    return s
  }

  /**
   * Streams one file into the upload at `relative`. Refused before anything is written when the path is
   * unsafe, the name is taken, or the declared size would pass the limit; a file that grows past it, or a
   * body that breaks off, is removed again.
   */
  async receive(
    uploadId: string,
    relative: string,
    body: Readable,
    declaredBytes?: number,
  ): Promise<{ bytes: number }> {
    const s = this.staged(uploadId)
    if (s.sealed) throw new UploadRefused('the upload is already being imported', 409)
    const parts = uploadPathParts(relative)
    if (s.files >= this.limits.maxFiles)
      throw new UploadRefused(`an upload holds at most ${this.limits.maxFiles} files`, 413)
    const room = this.limits.maxBytes - s.bytes
    if (declaredBytes !== undefined && declaredBytes > room) throw this.tooLarge(relative)
    const file = path.join(s.dir, ...parts)
    const rel = path.relative(s.dir, file)
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UploadRefused(`the path is refused`)
    if (fs.existsSync(file)) throw new UploadRefused(`${relative} was sent twice`, 409)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    let written = 0
    const count = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        written += chunk.length
        if (written > room) done(this.tooLarge(relative))
        else done(null, chunk)
      },
    })
    s.files++
    try {
      // `wx`: a name sent twice is refused rather than overwritten.
      const out = fs.createWriteStream(file, { flags: 'wx' })
      await pipeline(body, count, out)
    } catch (e) {
      s.files--
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(file, { force: true })
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UploadRefused(`${relative} was sent twice`, 409)
      throw e
    }
    s.bytes += written
    return { bytes: written }
  }

  private tooLarge(relative: string): UploadRefused {
    return new UploadRefused(
      `${relative}: the upload would pass its limit of ${(this.limits.maxBytes / GiB).toFixed(1)} GiB`,
      413,
    )
  }

  /**
   * Seals the upload for an import and returns the folder to import: the one folder the browser sent
   * (a picked or dropped dataset folder) or, for loose files, the staging folder itself.
   */
  seal(uploadId: string): string {
    const s = this.staged(uploadId)
    if (s.files === 0) throw new UploadRefused('uploadId: no files were uploaded')
    s.sealed = true
    const entries = fs.readdirSync(s.dir, { withFileTypes: true })
    return entries.length === 1 && entries[0].isDirectory() ? path.join(s.dir, entries[0].name) : s.dir
  }

  /** The staging folder of an upload. */
  dirOf(uploadId: string): string {
    return this.staged(uploadId).dir
  }

  /** Removes the upload and its folder; a second call does nothing. */
  discard(uploadId: string): void {
    const s = this.uploads.get(uploadId)
    if (!s) return
    this.uploads.delete(uploadId)
    fs.rmSync(s.dir, { recursive: true, force: true })
  }

  private sweepStale(): void {
    let names: string[]
    try {
      names = fs.readdirSync(this.root)
    } catch {
      return
    }
    const now = Date.now()
    for (const name of names) {
      if (this.uploads.has(name)) continue
      const dir = path.join(this.root, name)
      try {
        if (now - fs.statSync(dir).mtimeMs > STALE_MS) fs.rmSync(dir, { recursive: true, force: true })
      } catch {
        // Gone already.
      }
    }
  }
}
