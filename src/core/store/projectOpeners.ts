import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Who has a project open: one small file per open (`openers/<host>.<pid>.<random>`), removed on close.
 * The sweep on open (sweepUnreferencedBlobs) reads them: while anyone else has the project open — a training
 * worker, a second window, the CLI — their uncommitted blobs may look unreferenced, so only old ones go.
 * A file left by a process that died (a crash, a kill) does not count.
 */
const OPENERS_DIR = 'openers'

export function registerOpener(projectDir: string): string {
  const dir = path.join(projectDir, OPENERS_DIR)
  fs.mkdirSync(dir, { recursive: true })
  const name = `${os.hostname().replace(/[^\w-]/g, '_')}.${process.pid}.${randomBytes(4).toString('hex')}`
  fs.writeFileSync(path.join(dir, name), '')
  return name
}

export function unregisterOpener(projectDir: string, name: string): void {
  fs.rmSync(path.join(projectDir, OPENERS_DIR, name), { force: true })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether anyone besides `self` has the project open. Openers on another machine (a shared folder) cannot
 * be checked and count as open. Files of dead processes on this machine are removed.
 */
export function othersHaveOpen(projectDir: string, self: string): boolean {
  const dir = path.join(projectDir, OPENERS_DIR)
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return false
  }
  const host = os.hostname().replace(/[^\w-]/g, '_')
  let others = false
  for (const name of names) {
    if (name === self) continue
    const m = /^(.+)\.(\d+)\.[0-9a-f]{8}$/.exec(name)
    if (m && m[1] === host && !alive(Number(m[2]))) {
      fs.rmSync(path.join(dir, name), { force: true })
      continue
    }
    others = true
  }
  return others
}
