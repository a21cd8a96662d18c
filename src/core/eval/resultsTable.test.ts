import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closeProject, createProject } from '../store/project'
import { addRunMetrics, createRun, updateRun } from '../store/runs'
import { resultsTable } from './resultsTable'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-results-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('resultsTable', () => {
  it('groups succeeded runs by method, fraction and metric with mean ± 95 % CI over seeds', () => {
    const p = createProject(path.join(dir, 'p'), {
      name: 'R',
      labelMode: 'multi-class',
      classes: [{ name: 'lesion', color: '#ff0000' }],
    })
    const run = (
      method: string,
      labelFraction: number | null,
      seed: number,
      iou: number,
      status = 'succeeded',
    ) => {
      const id = createRun(p, {
        task: 'segmentation',
        method,
        labelFraction,
        seed,
        config: {},
        datasetVersion: 'v',
      })
      addRunMetrics(p, id, [
        { subset: 'final', name: 'testIou', value: iou },
        { subset: 'train', name: 'total', value: 9 },
      ])
      updateRun(p, id, { status: status as 'succeeded' })
    }
    run('supervised', 0.1, 0, 0.5)
    run('supervised', 0.1, 1, 0.7)
    run('supervised', 0.1, 2, 0.1, 'failed')
    run('cross-teaching', 0.1, 0, 0.8)
    run('supervised', null, 0, 0.4)
    const opts = { backbone: () => 'U-Net', isMetric: (m: string) => m === 'testIou' }
    const { cells } = resultsTable(p, 'segmentation', opts)
    expect(cells.map((c) => [c.method, c.labelFraction, c.metric, c.n])).toEqual([
      ['cross-teaching', 0.1, 'testIou', 1],
      ['supervised', -1, 'testIou', 1],
      ['supervised', 0.1, 'testIou', 2],
    ])
    const two = cells[2]
    // mean 0.6, s = 0.1414, t(0.975, 1) = 12.706: half width 12.706 · 0.1414 / √2 = 1.2706.
    expect(two.mean).toBeCloseTo(0.6, 12)
    expect(two.ci95).toBeCloseTo(1.2706, 3)
    expect(cells[0].ci95).toBe(0)
    expect(resultsTable(p, 'classification', opts).cells).toEqual([])
    closeProject(p)
  })
})
