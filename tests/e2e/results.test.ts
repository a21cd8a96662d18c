import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import type { ResultsTable, RunSummary } from '../../src/shared/training'
import { screenshot, startApp, type BrowserApp } from './harness'

// The results pane against the stored truth: short real runs (2 epochs) on a small demo, then the chart's
// bars must stand in proportion to results.table's means and the table must print them.
describe('results pane', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-label', count: 8 })
    const base = { task: 'segmentation', method: 'supervised', preset: 'quick', overrides: { epochs: 2 } }
    await app.call('train.start', { ...base, labelFraction: 1, seeds: 2 })
    await app.call('train.start', { ...base, labelFraction: 0.7, seeds: 1 })
    for (let i = 0; ; i++) {
      const train = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
      const failed = train.find((j) => j.status === 'failed')
      if (failed) throw new Error(`training failed: ${failed.error}`)
      if (train.length > 0 && train.every((j) => j.status === 'succeeded')) break
      if (i > 900) throw new Error('training did not finish in 180 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('draws one bar per method and label fraction, heights in proportion to the means', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Results' }).click()
    await page.getByTestId('results-chart').waitFor({ timeout: 15_000 })
    const table = await app.call<ResultsTable>('results.table', { task: 'segmentation' })
    const cells = table.cells
      .filter((c) => c.metric === 'testIou')
      .sort((a, b) => a.labelFraction - b.labelFraction)
    expect(cells.map((c) => [c.labelFraction, c.n])).toEqual([
      [0.7, 1],
      [1, 2],
    ])
    const bars = await page
      .locator('[data-testid=results-chart] rect')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))))
    expect(bars).toHaveLength(2)
    // Bars start at zero, so height / mean is one scale for every bar.
    const scale = bars.map((h, i) => h / cells[i].mean)
    expect(Math.abs(scale[0] - scale[1]) / scale[1]).toBeLessThan(0.01)
    const text = await page.getByTestId('results-table').innerText()
    for (const c of cells) expect(text).toContain(c.mean.toFixed(4))
    expect(text).toContain(`± ${cells[1].ci95.toFixed(4)}`)
    await screenshot(page, 'results-01-chart')
  })

  it('lists every run with its backend and opens its training curves', async () => {
    const page = app.page
    const runs = await app.call<RunSummary[]>('runs.list')
    expect(runs).toHaveLength(3)
    const rows = page.locator('[data-testid=runs-table] tbody tr')
    await expect(rows.count()).resolves.toBe(3)
    const firstRow = await rows.first().innerText()
    expect(firstRow).toContain(runs[0].backend!.split(' ')[0])
    expect(firstRow.toLowerCase()).toContain('succeeded')
    await rows.first().click()
    const charts = page.getByTestId('run-charts')
    await charts.waitFor({ timeout: 10_000 })
    await expect(charts.locator('path[data-series]').count()).resolves.toBeGreaterThanOrEqual(2)
    await charts.scrollIntoViewIfNeeded()
    await screenshot(page, 'results-02-run-curves')
  })
})
