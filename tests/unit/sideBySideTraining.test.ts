import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import { getRun, runMetrics } from '../../src/core/store/runs'
import { startTraining, type TrainingHost, type TrainRequest } from '../../src/core/train/trainingJobs'

// Independent runs train side by side in their own worker processes (issue #14 item 1), each writing its
// checkpoints, metrics and predictions into the one project database. This machine has two cores, where the
// default capacity (all cores but one) runs one at a time; the capacity is raised here to two runs of one
// thread, as on a 3-core machine. Two real workers then train at once, and each seed's metrics equal the
// same seed trained alone: running beside another run changes nothing it computes.
let tmp: string
let session: Session

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-side-by-side-'))
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 't',
    transport: 'http',
    defaultProjectsDir: tmp,
  })
  await createHandlers(session)['demo.create']({
    dir: path.join(tmp, 'demo'),
    variant: 'multi-class',
    seed: 5,
    count: 12,
  })
  // The app finds its backend at start; a wasm run's memory is bounded (its heap), so runs can share the machine.
  expect((await session.detectBackend()).name).toBe('wasm')
}, 120_000)

afterAll(() => {
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** The session as a training host whose capacity is `threads` runs of one thread each. */
function hostWith(threads: number): TrainingHost {
  return {
    requireProject: () => session.requireProject(),
    jobs: session.jobs,
    backend: session.backend,
    hardware: { ...session.hardware, threads: 1 },
    trainingCapacity: { threads, bytes: 64 * 1024 ** 3 },
  }
}

/** Whether two runs trained at the same time: each started before the other finished (stored times). */
function overlapped(a: number, b: number): boolean {
  const [x, y] = [a, b].map((id) => getRun(session.requireProject(), id))
  return x.startedAt! < y.finishedAt! && y.startedAt! < x.finishedAt!
}

const request: TrainRequest = {
  task: 'segmentation',
  method: 'supervised',
  labelFraction: 1,
  seeds: 2,
  preset: 'quick',
  overrides: { epochs: 1 },
}

function finalMetrics(runId: number): Record<string, number> {
  return Object.fromEntries(
    runMetrics(session.requireProject(), runId)
      .filter((m) => m.subset === 'final')
      .map((m) => [m.name, m.value]),
  )
}

describe('training side by side', () => {
  it('trains two seeds in two worker processes at once, with the metrics each gets one at a time', async () => {
    const jobs = startTraining(hostWith(2), request, session.launchWorker)
    const done = await Promise.all(jobs.map((j) => session.jobs.wait(j.id)))
    expect(done.map((j) => j.error)).toEqual([null, null])
    const [run0, run1] = done.map((j) => j.runIds[0])
    expect(overlapped(run0, run1)).toBe(true)
    const [seed0, seed1] = [run0, run1].map(finalMetrics)
    expect(seed0.testIou).toBeGreaterThanOrEqual(0)
    expect(seed0).not.toEqual(seed1)

    // The same two seeds with a capacity of one run: one after the other, and the same metrics.
    const again = startTraining(hostWith(1), request, session.launchWorker)
    const reruns = await Promise.all(again.map((j) => session.jobs.wait(j.id)))
    expect(reruns.map((j) => j.error)).toEqual([null, null])
    const [rerun0, rerun1] = reruns.map((j) => j.runIds[0])
    expect(overlapped(rerun0, rerun1)).toBe(false)
    expect([rerun0, rerun1].map(finalMetrics)).toEqual([seed0, seed1])
  }, 600_000)
})
