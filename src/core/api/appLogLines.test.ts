import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiEvent, JobState, JobStatus } from '../../shared/events'
import { dispatch } from './dispatch'
import type { Handlers } from './handlerTypes'
import { logSessionEvents } from './sessionLog'
import { closeAppLog, openAppLog } from '../appLog'

const dirs: string[] = []
afterEach(() => {
  closeAppLog()
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function logsDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-applog-'))
  dirs.push(d)
  return d
}

describe('the app log', () => {
  it('holds the incident id a failing API call hands out, with its stack, so a user can find it', async () => {
    const dir = logsDir()
    openAppLog(dir, 'main', { echo: false })
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const handlers = {
      'app.status': async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'width')")
      },
    } as unknown as Handlers
    const r = await dispatch(handlers, 'app.status', {})
    expect(r.ok).toBe(false)
    const incident = r.ok ? '' : String(r.error.incident)
    expect(incident).toMatch(/^[0-9a-f]{8}$/)
    const text = fs.readFileSync(path.join(dir, 'main.log'), 'utf8')
    expect(text).toContain(
      `[incident ${incident}] app.status: TypeError: Cannot read properties of undefined (reading 'width')`,
    )
    // The stack follows, indented under the line.
    expect(text).toMatch(/\n +at /)
    // The desktop app's log is not echoed (nobody reads the main process's standard error).
    expect(stderr).not.toHaveBeenCalled()
  })

  it('echoes to standard error as well when asked (serve mode), and only there before a file is opened', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const dir = logsDir()
    const session = fakeSession()
    logSessionEvents(session)
    session.emit({ type: 'backend', backend: BACKEND })
    expect(stderr).toHaveBeenLastCalledWith('training backend: wasm on CPU (WebAssembly SIMD), 3 threads\n')
    expect(fs.readdirSync(dir)).toEqual([])
    openAppLog(dir, 'serve', { echo: true })
    session.emit({ type: 'backend', backend: BACKEND })
    expect(stderr).toHaveBeenCalledTimes(2)
    expect(fs.readFileSync(path.join(dir, 'serve.log'), 'utf8')).toMatch(
      /^\S+Z training backend: wasm on CPU \(WebAssembly SIMD\), 3 threads\n$/,
    )
  })

  it('writes a line for each job that ends, none while it runs', () => {
    const dir = logsDir()
    openAppLog(dir, 'main', { echo: false })
    const session = fakeSession()
    const off = logSessionEvents(session)
    const job = (status: JobStatus, error: string | null = null) =>
      session.emit({
        type: 'job',
        job: {
          id: 'j',
          kind: 'train',
          title: 'Train cross teaching',
          status,
          progress: null,
          error,
        } as unknown as JobState,
      })
    job('queued')
    job('running')
    job('succeeded')
    job('failed', 'out of memory')
    job('cancelled')
    off()
    job('failed', 'after unsubscribing')
    const lines = fs.readFileSync(path.join(dir, 'main.log'), 'utf8').trim().split('\n')
    expect(lines.map((l) => l.replace(/^\S+Z /, ''))).toEqual([
      'job Train cross teaching: succeeded',
      'job Train cross teaching: failed — out of memory',
      'job Train cross teaching: cancelled',
    ])
  })
})

const BACKEND = {
  name: 'wasm',
  device: 'CPU (WebAssembly SIMD)',
  accelerated: false,
  slowFallback: true,
  warning: null,
  threads: 3,
  skipped: [],
}

/** Just the session's event subscription. */
function fakeSession() {
  const listeners = new Set<(e: ApiEvent) => void>()
  return {
    onEvent(l: (e: ApiEvent) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    emit: (e: ApiEvent) => listeners.forEach((l) => l(e)),
  }
}
