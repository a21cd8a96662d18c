import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject } from '../../core/demo/createDemoProject'
import { closeProject, openProject } from '../../core/store/project'
import { listRuns } from '../../core/store/runs'
import { capturedCli as cli } from '../fixtures/capturedCli'

let dir: string
let projectDir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-experiment-'))
  projectDir = path.join(dir, 'p')
  closeProject((await createDemoProject(projectDir, { count: 12, seed: 9 })).project)
})

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('s4mi experiment', () => {
  it('refuses a bad matrix with a message naming the option, and stores nothing', async () => {
    const bad = await cli(['experiment', projectDir, '--methods', 'supervised', '--fractions', '0,50'])
    expect(bad.code).not.toBe(0)
    expect(bad.err).toMatch(/--fractions must be a percentage 1\.\.100, got '0'/)
    const unknown = await cli(['experiment', projectDir, '--methods', 'supervised,dino'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toMatch(/methods: no method "dino" for segmentation/)
    // A misspelt setting: refused before the backend is chosen or announced.
    const misspelt = await cli(['experiment', projectDir, '--methods', 'supervised', '--set', 'epoch=2'])
    expect(misspelt.code).toBe(1)
    expect(misspelt.err).toMatch(/overrides: no chosen method has a hyperparameter 'epoch'/)
    expect(misspelt.out).not.toMatch(/Training backend/)
    const p = openProject(projectDir)
    expect(listRuns(p)).toEqual([])
    closeProject(p)
  })

  // One real run in a worker process (seconds to a minute on a loaded machine): S4MI_CLI_EXPERIMENT=1.
  it.skipIf(!process.env.S4MI_CLI_EXPERIMENT)(
    'trains the matrix, prints n and mean per cell, and skips it all when run again',
    { timeout: 240_000 },
    async () => {
      const args = ['experiment', projectDir, '--methods', 'supervised', '--fractions', '50', '--seeds', '1']
      const opts = ['--set', 'epochs=1', '--set', 'batchSize=4', '--backend', 'cpu']
      const first = await cli([...args, ...opts])
      expect(first.err).toBe('')
      expect(first.code).toBe(0)
      expect(first.out).toMatch(/Experiment 1: 1 run to train, 0 already done/)
      expect(first.out).toMatch(/^test IoU \(dataset-level\) per cell/m)
      expect(first.out).toMatch(
        /Supervised U-Net at 50 % +\d\.\d{3} \(n = 1; interval not meaningful: n = 1 seed \(needs 3\)\)/,
      )
      const again = await cli([...args, ...opts])
      expect(again.code).toBe(0)
      expect(again.out).toMatch(/Experiment 2: 0 runs to train, 1 already done/)
      const p = openProject(projectDir)
      expect(listRuns(p)).toHaveLength(1)
      closeProject(p)
    },
  )
})
