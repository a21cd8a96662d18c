import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { commitMaskRevision } from '../store/masks'
import { addRunMetrics, updateRun } from '../store/runs'
import { createProject, type Project } from '../store/project'
import { scriptedLauncher } from '../train/scriptedWorker'
import { experimentHandlers } from './experimentHandlers'
import type { Session } from './session'
import { testSession } from './fixtures/testSession'

let dir: string
let session: Session
let project: Project
let h: ReturnType<typeof experimentHandlers>

/** Scores per method and seed, so the statistics can be checked by hand. */
const scores: Record<string, number[]> = {
  supervised: [0.5, 0.52, 0.51],
  'cross-teaching': [0.7, 0.71, 0.72],
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-experiment-api-'))
  project = createProject(path.join(dir, 'p'), {
    name: 'experiments',
    labelMode: 'multi-class',
    classes: [{ name: 'lesion', color: '#ff0000' }],
  })
  for (let i = 0; i < 10; i++) {
    const id = insertImage(project, {
      blob: String(i).padStart(64, 'a'),
      name: `i${i}`,
      width: 4,
      height: 4,
      channels: 3,
      format: 'png',
    })
    commitMaskRevision(project, id, String(i).padStart(64, 'b'), 'import')
  }
  const { launcher } = scriptedLauncher((w) => {
    const m = w.received.at(-1)
    if (m?.type !== 'run') return
    const run = project.db.prepare('SELECT method, seed FROM runs WHERE id = ?').get(m.runId) as {
      method: string
      seed: number
    }
    addRunMetrics(project, m.runId, [
      { subset: 'final', name: 'testIou', value: scores[run.method][run.seed] },
    ])
    updateRun(project, m.runId, { status: 'succeeded' })
    w.post({ type: 'done', metrics: {} })
    w.exit(0)
  })
  session = testSession(dir, project, { launchWorker: launcher })
  h = experimentHandlers(session)
})

afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('experiment handlers', () => {
  it('start, follow and summarise an experiment: n, mean, interval and a comparison per cell', async () => {
    const started = await h['experiments.start']({
      name: 'Two methods',
      tasks: ['segmentation'],
      methods: ['supervised', 'cross-teaching'],
      backbones: [],
      labelFractions: [0.5],
      seeds: 3,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    expect(started.queued).toBe(6)
    await Promise.all(started.jobIds.map((id) => session.jobs.wait(id)))
    const [listed] = await h['experiments.list']({})
    expect(listed.progress).toMatchObject({ total: 6, succeeded: 6, etaSeconds: 0 })
    const stats = await h['experiments.statistics']({
      experimentId: started.experimentId,
      metric: 'testIou',
      level: 0.95,
    })
    expect(stats.cells.map((c) => [c.method, c.n])).toEqual([
      ['cross-teaching', 3],
      ['supervised', 3],
    ])
    expect(stats.cells[1].mean).toBeCloseTo(0.51, 12)
    expect(stats.comparisons).toHaveLength(1)
    expect(stats.comparisons[0]).toMatchObject({ paired: true, verdict: 'higher' })
    expect(stats.comparisons[0].statement).toMatch(/^Cross teaching at 50 % ≥ Supervised U-Net at 50 %: yes/)
  })

  it('a second start of the same matrix trains nothing and counts nothing twice', async () => {
    const again = await h['experiments.start']({
      name: 'Again',
      tasks: ['segmentation'],
      methods: ['supervised'],
      backbones: [],
      labelFractions: [0.5],
      seeds: 3,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    expect(again).toMatchObject({ queued: 0, reused: 3 })
    const stats = await h['experiments.statistics']({
      experimentId: again.experimentId,
      metric: 'testIou',
      level: 0.95,
    })
    expect(stats.cells[0].n).toBe(3)
    expect(stats.cells[0].repeats).toEqual([])
  })
})
