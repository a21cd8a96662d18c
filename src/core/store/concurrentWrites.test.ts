// Two processes writing into one project at once (two training runs side by side): every write lands. A
// transaction that reads before it writes (replacing a checkpoint) must hold the write lock from its start;
// begun deferred, it fails at once with "database is locked" whenever the other process commits in between.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { closeProject, createProject, type Project } from './project'
import { createRun, getRun, runMetrics } from './runs'

let dir: string
let project: Project

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-concurrent-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
})
afterEach(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

function writer(runId: number, rounds: number): Promise<{ code: number | null; stderr: string }> {
  const script = path.join(__dirname, 'fixtures', 'checkpointWriter.ts')
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    script,
    project.dir,
    String(runId),
    String(rounds),
  ])
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })))
}

it('two processes replacing checkpoints and adding metrics at once: every write lands', async () => {
  const rounds = 150
  const runs = [0, 1].map((seed) =>
    createRun(project, {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seed,
      config: {},
      datasetVersion: 'v',
    }),
  )
  const results = await Promise.all(runs.map((id) => writer(id, rounds)))
  expect(results).toEqual([
    { code: 0, stderr: '' },
    { code: 0, stderr: '' },
  ])
  for (const id of runs) {
    expect(runMetrics(project, id).length).toBe(rounds)
    expect((getRun(project, id).progress as { epoch: number }).epoch).toBe(rounds - 1)
  }
}, 120_000)
