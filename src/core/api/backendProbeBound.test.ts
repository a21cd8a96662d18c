import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WorkerLauncher } from '../train/workerLauncher'
import { Session } from './session'

// Each backend probe starts a worker process: a burst of calls (training.setThreads from a script or a
// fuzzer) must not start a burst of processes.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-probe-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function countingSession() {
  let launched = 0
  let alive = 0
  let most = 0
  // A worker that never answers and exits after a while: the probe ends as "unavailable".
  const launchWorker: WorkerLauncher = () => {
    launched++
    most = Math.max(most, ++alive)
    let onExit: (code: number | null) => void = () => undefined
    setTimeout(() => {
      alive--
      onExit(1)
    }, 50)
    return {
      send: () => undefined,
      onMessage: () => undefined,
      onExit: (l) => (onExit = l),
      kill: () => undefined,
    }
  }
  const session = new Session({
    dataDir: path.join(tmp, `d${Math.random()}`),
    version: 't',
    transport: 'http',
    defaultProjectsDir: tmp,
    launchWorker,
  })
  return { session, launched: () => launched, most: () => most }
}

describe('backend probes', () => {
  it('a burst of twenty calls runs at most two probes, one after the other', async () => {
    const one = countingSession()
    await one.session.detectBackend()
    const perProbe = one.launched()
    expect(perProbe).toBeGreaterThan(0)
    const burst = countingSession()
    const answers = await Promise.all(Array.from({ length: 20 }, () => burst.session.detectBackend()))
    expect(burst.launched()).toBeLessThanOrEqual(2 * perProbe)
    expect(burst.most()).toBeLessThanOrEqual(perProbe)
    expect(new Set(answers.map((a) => a.name))).toEqual(new Set(['unavailable']))
  })
})
