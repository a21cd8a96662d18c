import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExperimentSpec } from '../../shared/experiments'
import type { BackendStatus } from '../../shared/api'
import { JobQueue } from '../jobs/jobQueue'
import { insertImage } from '../store/images'
import { commitMaskRevision } from '../store/masks'
import { experimentRunIds } from '../store/experiments'
import { addRunMetrics, getRun, updateRun } from '../store/runs'
import { closeProject, createProject, type Project } from '../store/project'
import { experimentProgress, startExperiment } from './experiment'
import { scriptedLauncher } from './scriptedWorker'
import { resumeInterruptedRuns, type TrainingHost } from './trainingJobs'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const backend: BackendStatus = {
  name: 'wasm',
  device: 'cpu',
  accelerated: false,
  slowFallback: false,
  warning: null,
  threads: 1,
  skipped: [],
}

function project(): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-experiment-'))
  dirs.push(dir)
  const p = createProject(path.join(dir, 'p'), {
    name: 'P',
    labelMode: 'multi-class',
    classes: [{ name: 'lesion', color: '#ff0000' }],
  })
  for (let i = 0; i < 10; i++) {
    const id = insertImage(p, {
      blob: String(i).padStart(64, 'a'),
      name: `i${i}`,
      width: 4,
      height: 4,
      channels: 3,
      format: 'png',
    })
    commitMaskRevision(p, id, String(i).padStart(64, 'b'), 'import')
  }
  return p
}

/** The app's session as training sees it, around a project that outlives it (as across a restart). */
function session(p: Project): TrainingHost {
  return { jobs: new JobQueue(), backend, requireProject: () => p }
}

/** A worker that "trains" by storing a final IoU derived from the run id, as the real one stores its scores. */
function finishingLauncher(p: Project) {
  return scriptedLauncher((w) => {
    const m = w.received.at(-1)
    if (m?.type !== 'run') return
    updateRun(p, m.runId, { status: 'running' })
    addRunMetrics(p, m.runId, [{ subset: 'final', name: 'testIou', value: 0.5 + m.runId / 100 }])
    updateRun(p, m.runId, { status: 'succeeded' })
    w.post({ type: 'done', metrics: { testIou: 0.5 + m.runId / 100 } })
    w.exit(0)
  })
}

/** A worker that never answers: runs stay queued or running, as when the app is closed mid-experiment. */
const silentLauncher = () => scriptedLauncher(() => {})

const spec: ExperimentSpec = {
  name: 'Demo matrix',
  tasks: ['segmentation'],
  methods: ['supervised', 'cross-teaching', 'picie'],
  backbones: [],
  labelFractions: [1, 0.5],
  seeds: 2,
  preset: 'quick',
  overrides: { epochs: 1 },
}

async function settle(host: TrainingHost, ids: string[]) {
  return Promise.all(ids.map((id) => host.jobs.wait(id)))
}

describe('experiments', () => {
  it('queues the whole matrix once: methods × fractions × seeds, PiCIE once at 0', async () => {
    const p = project()
    const host = session(p)
    const started = startExperiment(host, spec, finishingLauncher(p).launcher)
    // supervised and cross teaching at 50 % and 100 %, PiCIE at 0 %; two seeds each.
    expect(started.queued).toBe(10)
    expect(started.reused).toBe(0)
    const before = experimentProgress(p, started.experimentId).progress
    expect(before.total).toBe(10)
    expect(before.queued + before.running + before.succeeded).toBe(10)
    expect(before.queued).toBeGreaterThan(0)
    const done = await settle(
      host,
      started.jobs.map((j) => j.id),
    )
    expect(done.every((j) => j.status === 'succeeded')).toBe(true)
    const { progress, runs } = experimentProgress(p, started.experimentId)
    expect(progress).toMatchObject({ total: 10, succeeded: 10, queued: 0, running: 0, etaSeconds: 0 })
    const cells = runs.map((r) => `${r.cell.method}@${r.cell.labelFraction}#${r.seed}`).sort()
    expect(cells).toEqual(
      [
        'cross-teaching@0.5#0',
        'cross-teaching@0.5#1',
        'cross-teaching@1#0',
        'cross-teaching@1#1',
        'picie@0#0',
        'picie@0#1',
        'supervised@0.5#0',
        'supervised@0.5#1',
        'supervised@1#0',
        'supervised@1#1',
      ].sort(),
    )
    // The same seed at the same fraction trains every method on the same labelled set.
    const byCell = runs.map((r) => getRun(p, r.runId))
    const set = (method: string, seed: number) =>
      byCell.find((r) => r.method === method && r.seed === seed && r.labelFraction === 0.5)!.datasetVersion
    expect(set('supervised', 1)).toBe(set('cross-teaching', 1))
    expect(set('supervised', 0)).not.toBe(set('supervised', 1))
    closeProject(p)
  })

  it('skips runs already done with the same identity and trains only what is new', async () => {
    const p = project()
    const host = session(p)
    const first = startExperiment(host, spec, finishingLauncher(p).launcher)
    await settle(
      host,
      first.jobs.map((j) => j.id),
    )
    // Same matrix plus one seed: the 10 done runs are linked, the third seed's 5 are trained.
    const again = startExperiment(
      host,
      { ...spec, name: 'Three seeds', seeds: 3 },
      finishingLauncher(p).launcher,
    )
    expect(again.reused).toBe(10)
    expect(again.queued).toBe(5)
    await settle(
      host,
      again.jobs.map((j) => j.id),
    )
    const progress = experimentProgress(p, again.experimentId).progress
    expect(progress).toMatchObject({ total: 15, succeeded: 15, reused: 10 })
    // Another epoch count is another configuration: nothing is reused.
    const other = startExperiment(
      host,
      { ...spec, methods: ['supervised'], overrides: { epochs: 2 } },
      silentLauncher().launcher,
    )
    expect(other).toMatchObject({ reused: 0, queued: 4 })
    closeProject(p)
  })

  it('survives a restart: its queued runs go back in the new queue and finish', async () => {
    const p = project()
    const before = session(p)
    const started = startExperiment(
      before,
      { ...spec, methods: ['supervised'], labelFractions: [0.5] },
      silentLauncher().launcher,
    )
    expect(started.queued).toBe(2)
    // The app closes; a new session opens the project and resumes what was left.
    const after = session(p)
    const resumed = resumeInterruptedRuns(after, finishingLauncher(p).launcher)
    expect(resumed.flatMap((j) => j.runIds).sort()).toEqual(experimentRunIds(p, started.experimentId))
    await settle(
      after,
      resumed.map((j) => j.id),
    )
    expect(experimentProgress(p, started.experimentId).progress.succeeded).toBe(2)
    closeProject(p)
  })

  it('runs what an ended session left queued when the same matrix is started again, without a second copy', async () => {
    const p = project()
    const small = { ...spec, methods: ['supervised'], labelFractions: [0.5] }
    const first = startExperiment(session(p), small, silentLauncher().launcher)
    expect(first.queued).toBe(2)
    // The CLI was interrupted; the same command runs again in a new process.
    const host = session(p)
    const again = startExperiment(host, small, finishingLauncher(p).launcher)
    expect(again).toMatchObject({ queued: 2, reused: 0 })
    await settle(
      host,
      again.jobs.map((j) => j.id),
    )
    expect(experimentRunIds(p, again.experimentId)).toEqual(experimentRunIds(p, first.experimentId))
    expect(p.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 2 })
    expect(experimentProgress(p, first.experimentId).progress.succeeded).toBe(2)
    closeProject(p)
  })

  it('estimates the time left from how long its finished runs of each method took', () => {
    const p = project()
    const host = session(p)
    const started = startExperiment(
      host,
      { ...spec, methods: ['supervised', 'cross-teaching'], labelFractions: [0.5], seeds: 3 },
      silentLauncher().launcher,
    )
    const ids = experimentRunIds(p, started.experimentId)
    const runs = ids.map((id) => getRun(p, id))
    const supervised = runs.filter((r) => r.method === 'supervised')
    const crossTeaching = runs.filter((r) => r.method === 'cross-teaching')
    const finish = (id: number, seconds: number) =>
      p.db
        .prepare(`UPDATE runs SET status = 'succeeded', started_at = ?, finished_at = ? WHERE id = ?`)
        .run(new Date(Date.now() - seconds * 1000).toISOString(), new Date().toISOString(), id)
    // Supervised runs took 10 s and 20 s; one cross teaching run took 60 s.
    finish(supervised[0].id, 10)
    finish(supervised[1].id, 20)
    finish(crossTeaching[0].id, 60)
    const { progress } = experimentProgress(p, started.experimentId)
    expect(progress.succeeded).toBe(3)
    // Left: one supervised (15 s expected) and two cross teaching (60 s each).
    expect(progress.etaSeconds).toBeCloseTo(15 + 60 + 60, 1)
    // A running cross teaching run that has had 45 s needs 15 s more.
    const now = Date.now()
    p.db
      .prepare(`UPDATE runs SET status = 'running', started_at = ? WHERE id = ?`)
      .run(new Date(now - 45_000).toISOString(), crossTeaching[1].id)
    expect(experimentProgress(p, started.experimentId, 1, now).progress.etaSeconds).toBeCloseTo(
      15 + 15 + 60,
      1,
    )
    // Two runs training side by side: the work left is shared between them.
    p.db
      .prepare(`UPDATE runs SET status = 'running', started_at = ? WHERE id = ?`)
      .run(new Date(now).toISOString(), crossTeaching[2].id)
    const side = experimentProgress(p, started.experimentId, undefined, now).progress
    expect(side.parallel).toBe(2)
    expect(side.etaSeconds).toBeCloseTo((15 + 15 + 60) / 2, 1)
    closeProject(p)
  })

  it('refuses a bad matrix naming the field, and stores nothing', () => {
    const p = project()
    const host = session(p)
    const launcher = silentLauncher().launcher
    expect(() => startExperiment(host, { ...spec, methods: ['dino'] }, launcher)).toThrow(
      /methods: no method "dino"/,
    )
    expect(() => startExperiment(host, { ...spec, labelFractions: [0] }, launcher)).toThrow(/labelFractions/)
    expect(() => startExperiment(host, { ...spec, overrides: { epoch: 3 } }, launcher)).toThrow(
      /overrides: .*'epoch'/,
    )
    expect(p.db.prepare('SELECT COUNT(*) AS n FROM experiments').get()).toEqual({ n: 0 })
    expect(p.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 })
    closeProject(p)
  })
})
