import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppStatus } from '../../src/shared/api'
import type { JobState } from '../../src/shared/events'
import type { ResultsTable, RunDetail, RunImageScore, RunSummary } from '../../src/shared/training'
import { readBackendRecord } from '../../src/shared/backendRecord'
import { screenshot, startApp, type BrowserApp } from './harness'

function countFiles(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0)
}

/** RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i]
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',' || ch === '\n') {
      row.push(field)
      field = ''
      if (ch === '\n') {
        rows.push(row)
        row = []
      }
    } else field += ch
  }
  if (field || row.length) rows.push([...row, field])
  return rows
}

// A run page and the results exports against the stored truth: two short real runs on a small demo.
describe('run page and exports', () => {
  let app: BrowserApp
  let projectDir: string
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-label', count: 12 })
    projectDir = (await app.call<AppStatus>('app.status')).project!.dir
    const base = { task: 'segmentation', method: 'supervised', preset: 'quick', overrides: { epochs: 2 } }
    await app.call('train.start', { ...base, labelFraction: 1, seeds: 2 })
    // Two more label fractions: enough for the advisor to fit a learning curve.
    await app.call('train.start', { ...base, labelFraction: 0.3, seeds: 1 })
    await app.call('train.start', { ...base, labelFraction: 0.6, seeds: 1 })
    for (let i = 0; ; i++) {
      const train = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
      const failed = train.find((j) => j.status === 'failed')
      if (failed) throw new Error(`training failed: ${failed.error}`)
      if (train.length > 0 && train.every((j) => j.status === 'succeeded')) break
      if (i > 3000) throw new Error('training did not finish in 600 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    await app.page.reload()
  }, 660_000)
  afterAll(async () => {
    await app?.close()
  })

  it('opens a cell’s runs and a run’s page: configuration, curves, log, test images worst first', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Results' }).click()
    await page.getByTestId('results-table').waitFor({ timeout: 15_000 })
    await page.getByTestId('results-table').locator('.cell-button').last().click()
    await page.getByRole('heading', { name: /Runs of Supervised U-Net/ }).waitFor()
    const rows = page.locator('[data-testid=runs-table] tbody tr')
    await expect(rows.count()).resolves.toBe(2)
    const started = await rows.first().locator('td').last().innerText()
    expect(started).not.toBe('not yet')
    await rows.first().click()
    await page.getByTestId('run-page').waitFor()
    const runId = Number(/#\/run\/(\d+)/.exec(page.url())![1])
    const detail = await app.call<RunDetail>('runs.get', { runId })
    const hyper = await page.getByTestId('run-hyper').innerText()
    expect(hyper).toMatch(/Epochs\s+2 \(set for this run\)/)
    expect(hyper).toMatch(/Batch size/)
    expect(hyper).not.toMatch(/batchSize/)
    // The backend it trained on, then each faster one it did not get, one per line, with the reason.
    const config = await page.getByTestId('run-config').locator('.facts').innerText()
    const skipped = readBackendRecord(detail.backend!).skipped
    expect(skipped.length).toBeGreaterThan(0)
    expect(config).toContain(`Faster backends skipped\n${skipped.join('\n')}`)
    await expect(page.getByTestId('run-labelled-ids').innerText()).resolves.toContain(
      detail.labelledImageIds.join(', '),
    )
    await expect(page.getByTestId('run-log').innerText()).resolves.toMatch(/Training on/)
    await expect(
      page.getByTestId('run-charts').locator('path[data-series]').count(),
    ).resolves.toBeGreaterThan(1)
    await page.getByTestId('run-image-scores').waitFor({ timeout: 20_000 })
    const scores = await app.call<RunImageScore[]>('runs.imageScores', { runId })
    const shown = await page.locator('[data-testid=run-image-scores] tbody th').allInnerTexts()
    expect(shown).toEqual(scores.map((s) => s.name))
    const ious = scores.map((s) => s.iou!)
    expect([...ious].sort((a, b) => a - b)).toEqual(ious)
    await screenshot(page, 'run-page-01-top')
    await page.getByTestId('run-image-scores').scrollIntoViewIfNeeded()
    await screenshot(page, 'run-page-02-worst-images')
    await page.getByRole('button', { name: 'see prediction' }).first().click()
    await page.waitForURL(new RegExp(`#/image/${scores[0].imageId}/run/${runId}$`))
    await page.waitForTimeout(1500)
    await screenshot(page, 'run-page-03-prediction-on-slide')
  })

  it('exports the runs as CSV that agrees with the table, and the chart as SVG and PNG', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Results' }).click()
    await page.getByTestId('results-chart').waitFor({ timeout: 15_000 })
    const save = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ])
      return fs.readFileSync((await download.path())!)
    }
    const csv = parseCsv((await save('CSV (runs)')).toString('utf8'))
    const runs = await app.call<RunSummary[]>('runs.list')
    expect(csv).toHaveLength(1 + runs.length)
    const head = csv[0]
    const column = (name: string) => csv.slice(1).map((row) => Number(row[head.indexOf(name)]))
    const iou = column('testIou')
    expect(iou).toEqual(runs.map((r) => r.final.testIou))
    // Every cell of the table is the mean of its CSV rows.
    const table = await app.call<ResultsTable>('results.table', { task: 'segmentation' })
    const fractions = column('label_fraction')
    for (const cell of table.cells.filter((c) => c.metric === 'testIou')) {
      const mine = iou.filter((_, i) => fractions[i] === cell.labelFraction)
      expect(mine).toHaveLength(cell.n)
      expect(mine.reduce((s, v) => s + v, 0) / mine.length).toBeCloseTo(cell.mean, 12)
    }
    const cell = table.cells.find((c) => c.metric === 'testIou' && c.n === 2)!
    await expect(page.getByTestId('results-table').innerText()).resolves.toContain(cell.mean.toFixed(4))
    const svg = (await save('Chart SVG')).toString('utf8')
    expect(svg).toMatch(/^<\?xml/)
    expect(svg).toContain('Supervised U-Net')
    expect(svg.match(/<rect/g)!.length).toBeGreaterThanOrEqual(4)
    const png = await save('Chart PNG')
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    const md = (await save('Markdown table')).toString('utf8')
    expect(md).toContain(`${cell.mean.toFixed(4)} ± ${cell.ci95.toFixed(4)}`)
    await screenshot(page, 'results-export-01-pane')
  })

  it('fits a learning curve over three label fractions and says what more labels buy', async () => {
    const page = app.page
    const advisor = page.getByTestId('label-budget-advisor')
    await advisor.waitFor({ timeout: 20_000 })
    await expect(advisor.innerText()).resolves.toMatch(
      // Two epochs may not improve with labels: then the advisor says so instead of forecasting a gain.
      /Supervised U-Net · .*: (labelling \d+ more images \(\d+ → \d+\) is expected to raise test IoU \(dataset-level\) from 0\.\d{4} to 0\.\d{4} \(95 % interval|its runs do not score higher with more labels, so no gain is forecast \(test IoU \(dataset-level\) stays near 0\.\d{4})/,
    )
    const points = await advisor.locator('circle[data-point]').count()
    expect(points).toBe(4)
    await expect(advisor.locator('path[data-series]').count()).resolves.toBe(1)
    await advisor.scrollIntoViewIfNeeded()
    await screenshot(page, 'results-advisor-01')
  })

  it('deletes a run from its page, with its blobs', async () => {
    const page = app.page
    const before = await app.call<RunSummary[]>('runs.list')
    const blobsBefore = countFiles(path.join(projectDir, 'blobs'))
    await page.goto(`${app.pageUrl.split('#')[0]}#/run/${before[1].id}`)
    await page.getByTestId('run-page').waitFor()
    await page.getByRole('button', { name: 'Delete run' }).click()
    await screenshot(page, 'run-page-04-delete-confirm')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete run' }).click()
    await page.waitForURL(/#\/results$/)
    const after = await app.call<RunSummary[]>('runs.list')
    expect(after.map((r) => r.id)).toEqual(before.filter((r) => r.id !== before[1].id).map((r) => r.id))
    // Its checkpoint and its predicted masks (one per image) are gone from disk.
    expect(countFiles(path.join(projectDir, 'blobs'))).toBeLessThan(blobsBefore)
  })
})
