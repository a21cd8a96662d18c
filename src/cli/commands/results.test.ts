import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeProject, createProject } from '../../core/store/project'
import { createExperiment } from '../../core/store/experiments'
import { addRunMetrics, createRun, setRunHidden, updateRun } from '../../core/store/runs'
import { saveSplit } from '../../core/store/splits'
import { capturedCli as cli } from '../fixtures/capturedCli'

let dir: string
let projectDir: string

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-results-'))
  projectDir = path.join(dir, 'p')
  const p = createProject(projectDir, { name: 'lab', labelMode: 'multi-class', classes: [] })
  const iou = [0.5, 0.7, 0.6, 0.9]
  const ids: number[] = []
  iou.forEach((value, seed) => {
    const id = createRun(p, {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 0.3,
      seed,
      datasetVersion: 'v',
      config: { task: 'segmentation', method: 'supervised', preset: 'quick', seed, overrides: {} },
    })
    ids.push(id)
    addRunMetrics(p, id, [{ subset: 'final', name: 'testIou', value }])
    updateRun(p, id, { status: 'succeeded' })
    if (seed === 3) setRunHidden(p, id, true)
  })
  // An experiment holding the first two runs.
  const splitId = saveSplit(p, { name: 's', kind: 'random', seed: 0, assignments: new Map() })
  const spec = {
    name: 'e',
    tasks: ['segmentation'],
    methods: ['supervised'],
    backbones: [],
    labelFractions: [0.3],
    seeds: 2,
    preset: 'quick',
    overrides: {},
  }
  createExperiment(p, { name: 'e', splitId, spec: spec as never }, () => ids.slice(0, 2))
  closeProject(p)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('s4mi results', () => {
  it('prints one CSV row per run, hidden ones marked', async () => {
    const r = await cli(['results', projectDir, '--format', 'csv'])
    expect(r.code).toBe(0)
    const lines = r.out.trimEnd().split('\n')
    expect(lines).toHaveLength(5)
    const head = lines[0].split(',')
    expect(lines.slice(1).map((l) => l.split(',')[head.indexOf('testIou')])).toEqual([
      '0.5',
      '0.7',
      '0.6',
      '0.9',
    ])
    expect(lines.slice(1).map((l) => l.split(',')[head.indexOf('hidden')])).toEqual([
      'false',
      'false',
      'false',
      'true',
    ])
  })

  it('prints the table as Markdown and LaTeX over the shown runs, or all with --include-hidden', async () => {
    const md = await cli(['results', projectDir, '--format', 'md'])
    expect(md.out).toContain('| Supervised U-Net | small U-Net (quick) | 0.6000 ± 0.2484 |')
    const all = await cli(['results', projectDir, '--format', 'md', '--include-hidden'])
    expect(all.out).toContain('0.6750 ±')
    const out = path.join(dir, 'table.tex')
    const tex = await cli(['results', projectDir, '--format', 'latex', '--out', out])
    expect(tex.code).toBe(0)
    expect(fs.readFileSync(out, 'utf8')).toContain('\\toprule')
  })

  it('limits the results to one experiment’s runs with --experiment', async () => {
    const csv = await cli(['results', projectDir, '--format', 'csv', '--experiment', '1'])
    expect(csv.out.trimEnd().split('\n')).toHaveLength(3)
    const md = await cli(['results', projectDir, '--format', 'md', '--experiment', '1'])
    expect(md.out).toContain('| Supervised U-Net | small U-Net (quick) | 0.6000 ± ')
    const missing = await cli(['results', projectDir, '--experiment', '7'])
    expect(missing.err).toMatch(/No experiment with id 7/)
  })

  it('refuses a training loss as the table metric, naming the evaluation metrics', async () => {
    const r = await cli(['results', projectDir, '--format', 'md', '--metric', 'kmeansLoss'])
    expect(r.code).not.toBe(0)
    expect(r.err).toMatch(/"kmeansLoss" is not an evaluation metric of segmentation \(known here: testIou\)/)
  })
})
