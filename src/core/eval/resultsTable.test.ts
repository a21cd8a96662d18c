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
    expect(two.intervalNote).toMatch(/not meaningful: n = 2/)
    expect(cells[0].ci95).toBe(0)
    expect(resultsTable(p, 'classification', opts).cells).toEqual([])
    closeProject(p)
  })

  it('counts each seed once per cell: a repeat or a run with other labels never narrows the interval', () => {
    const p = createProject(path.join(dir, 'seeds'), {
      name: 'S',
      labelMode: 'multi-class',
      classes: [{ name: 'lesion', color: '#ff0000' }],
    })
    const run = (seed: number, iou: number, identity: string, datasetVersion = 'v1') => {
      const id = createRun(p, {
        task: 'segmentation',
        method: 'cross-teaching',
        labelFraction: 0.3,
        seed,
        config: {},
        datasetVersion,
        identity,
      })
      addRunMetrics(p, id, [{ subset: 'final', name: 'testIou', value: iou }])
      updateRun(p, id, { status: 'succeeded' })
      return id
    }
    const first = run(0, 0.5, 'a0')
    run(1, 0.6, 'a1')
    run(2, 0.7, 'a2')
    const repeat = run(0, 0.5, 'a0') // the seed-0 run queued again: the same run
    const relabelled = run(1, 0.9, 'b1', 'v2') // seed 1 after more labelling: another dataset version
    const opts = { backbone: () => 'U-Net', isMetric: (m: string) => m === 'testIou' }
    const [cell] = resultsTable(p, 'segmentation', opts).cells
    expect(cell.n).toBe(3)
    expect(cell.values).toEqual([0.5, 0.6, 0.7])
    expect(cell.mean).toBeCloseTo(0.6, 12)
    // s = 0.1, t(0.975, 2) = 4.3027: half width 4.3027 · 0.1 / √3 = 0.24841.
    expect(cell.ci95).toBeCloseTo(0.24841, 4)
    expect(cell.intervalNote).toBeNull()
    expect(cell.repeats).toBe(1)
    expect(cell.setAside).toEqual([{ runId: relabelled, reason: expect.stringMatching(/other labels/) }])
    expect(cell.runIds).toContain(repeat)
    expect(cell.runIds[0]).toBe(first)
    closeProject(p)
  })

  it('gives the best constant answer of the classification runs, once per distinct test split', () => {
    const p = createProject(path.join(dir, 'trivial'), {
      name: 'T',
      labelMode: 'multi-class',
      classes: [{ name: 'lesion', color: '#ff0000' }],
    })
    // Test counts [true][predicted] over nevus, melanoma: 3 nevus and 1 melanoma, or 1 and 3.
    const run = (seed: number, counts: number[][], f1: number) => {
      const id = createRun(p, {
        task: 'classification',
        method: 'supervised',
        labelFraction: 1,
        seed,
        config: {},
        datasetVersion: 'v',
      })
      const names = ['nevus', 'melanoma']
      addRunMetrics(p, id, [
        { subset: 'final', name: 'testF1Macro', value: f1 },
        ...counts.flatMap((row, t) =>
          row.map((value, q) => ({ subset: 'final', name: `testConfusion.${names[t]}→${names[q]}`, value })),
        ),
      ])
      updateRun(p, id, { status: 'succeeded' })
    }
    run(
      0,
      [
        [3, 0],
        [0, 1],
      ],
      1,
    )
    run(
      1,
      [
        [2, 1],
        [1, 0],
      ],
      0.33,
    )
    run(
      2,
      [
        [0, 1],
        [0, 3],
      ],
      0.4,
    )
    const opts = { backbone: () => 'ResNet', isMetric: (m: string) => m === 'testF1Macro' }
    const table = resultsTable(p, 'classification', opts)
    // p = 3/4 of the images in the majority class: F1 of it 2·0.75/1.75 = 6/7, mean over 2 classes 3/7.
    expect(table.trivialAnswers).toEqual([
      { answer: 'always answering “nevus”', f1Macro: 3 / 7, runs: 2 },
      { answer: 'always answering “melanoma”', f1Macro: 3 / 7, runs: 1 },
    ])
    expect(resultsTable(p, 'segmentation', opts).trivialAnswers).toEqual([])
    closeProject(p)
  })
})
