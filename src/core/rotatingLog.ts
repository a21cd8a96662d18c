import fs from 'node:fs'
import path from 'node:path'

/**
 * The app's log file in the logs folder, rotated by size: when a line would take `main.log` past `maxBytes`
 * it becomes `main.1.log`, the older ones move up one, and the oldest beyond `keep` is deleted. So the folder
 * never holds more than (keep + 1) × maxBytes. Writes are synchronous appends: a crash loses no line.
 */
export class RotatingLog {
  private size: number
  readonly file: string

  constructor(
    readonly dir: string,
    readonly options: { name?: string; maxBytes?: number; keep?: number } = {},
  ) {
    fs.mkdirSync(dir, { recursive: true })
    this.file = path.join(dir, `${this.base}.log`)
    try {
      this.size = fs.statSync(this.file).size
    } catch {
      this.size = 0
    }
  }

  private get base(): string {
    return this.options.name ?? 'main'
  }

  /** The n-th older file (1 = the latest rotated one). */
  rotated(n: number): string {
    return path.join(this.dir, `${this.base}.${n}.log`)
  }

  write(message: string, now = new Date()): void {
    const line = `${now.toISOString()} ${message.replace(/\r?\n/g, '\n    ')}\n`
    const bytes = Buffer.byteLength(line)
    const max = this.options.maxBytes ?? 5 * 1024 * 1024
    try {
      if (this.size > 0 && this.size + bytes > max) this.rotate()
      fs.appendFileSync(this.file, line)
      this.size += bytes
    } catch (e) {
      // A log that cannot be written (a full disk, its folder removed) must not take the app down with
      // it: the line goes to stderr instead.
      process.stderr.write(`${this.file}: ${(e as Error).message}; ${line}`)
    }
  }

  private rotate(): void {
    const keep = this.options.keep ?? 3
    fs.rmSync(this.rotated(keep), { force: true })
    for (let n = keep - 1; n >= 1; n--)
      if (fs.existsSync(this.rotated(n))) fs.renameSync(this.rotated(n), this.rotated(n + 1))
    if (keep >= 1) fs.renameSync(this.file, this.rotated(1))
    else fs.rmSync(this.file, { force: true })
    this.size = 0
  }
}
