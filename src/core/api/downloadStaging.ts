import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Downloads prepared but not fetched yet; past this many the oldest is dropped. */
const MAX_WAITING = 4

interface Waiting {
  dir: string
  file: string | null
  name: string
}

/**
 * Files the server prepared for a browser to download (an export as a zip), each in its own folder in the
 * session's data folder. A download is handed out once and removed after it was sent.
 */
export class DownloadStaging {
  private readonly waiting = new Map<string, Waiting>()
  /** Taken and being sent: removed once sent. */
  private readonly sending = new Map<string, Waiting>()

  constructor(readonly root: string) {}

  /** A fresh folder to build a download in. */
  prepare(): { downloadId: string; dir: string } {
    while (this.waiting.size >= MAX_WAITING) this.discard(this.waiting.keys().next().value as string)
    const downloadId = randomBytes(16).toString('hex')
    const dir = path.join(this.root, downloadId)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    this.waiting.set(downloadId, { dir, file: null, name: '' })
    return { downloadId, dir }
  }

  /** Marks the download's file as ready, under the name the browser saves it as. */
  offer(downloadId: string, file: string, name: string): void {
    const w = this.waiting.get(downloadId)
    if (!w) throw new Error(`downloadId: no such download`)
    w.file = file
    w.name = name
  }

  /**
   * The ready file of a download, or null. Once: it leaves the waiting list at once, so a second request
   * arriving while the first is still being sent gets null; call `discard` when it has been sent.
   */
  take(downloadId: string): { file: string; name: string } | null {
    const w = /^[0-9a-f]{32}$/.test(downloadId) ? this.waiting.get(downloadId) : undefined
    if (!w?.file) return null
    this.waiting.delete(downloadId)
    this.sending.set(downloadId, w)
    return { file: w.file, name: w.name }
  }

  discard(downloadId: string): void {
    const w = this.waiting.get(downloadId) ?? this.sending.get(downloadId)
    if (!w) return
    this.waiting.delete(downloadId)
    this.sending.delete(downloadId)
    fs.rmSync(w.dir, { recursive: true, force: true })
  }
}
