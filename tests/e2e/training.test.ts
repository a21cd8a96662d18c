import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import { trainingTermLabel } from '../../src/shared/trainingTerms'
import { screenshot, startApp, type BrowserApp } from './harness'

// Page-side callbacks run in the browser; this file compiles without the DOM library.
declare const document: {
  querySelector(s: string): { textContent: string | null } | null
  querySelectorAll(s: string): Iterable<{ getAttribute(name: string): string | null }>
}

// Training from the UI: the chosen labelled set and a 30 % series become two jobs on one device (one runs, one waits, both
// visible), the running one streams losses into live curves, and Cancel stops what is left.
describe('training panel, live loss curves, queue and cancel', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-class', count: 12 })
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('starts a job for the chosen labelled set and one for a 30 % series; one runs, the other is queued', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    // The demo chose a labelled set; training uses it by default.
    await page.getByTestId('labelled-set-summary').waitFor()
    await expect(page.getByRole('checkbox', { name: 'this labelled set' }).isChecked()).resolves.toBe(true)
    await page.locator('[aria-label="Train on"]').getByRole('checkbox', { name: '30 %' }).check()
    await page.getByRole('button', { name: 'Start training' }).click()
    const counts = page.getByTestId('job-counts')
    await page.waitForFunction(
      () => document.querySelector('[data-testid=job-counts]')?.textContent?.includes('1 running · 1 queued'),
      null,
      { timeout: 60_000 },
    )
    await expect(counts.innerText()).resolves.toContain('1 running · 1 queued')
    const jobs = await app.call<JobState[]>('jobs.list')
    const train = jobs.filter((j) => j.kind === 'train')
    expect(train.map((j) => j.status).sort()).toEqual(['queued', 'running'])
    expect(new Set(train.map((j) => j.device)).size).toBe(1)
  })

  it('draws each loss term and the learning rate as they arrive', async () => {
    const page = app.page
    // At least three samples of every series: a curve, not a dot.
    await page.waitForFunction(
      () => {
        const paths = [...document.querySelectorAll('[data-testid=loss-chart] path[data-series]')]
        return paths.length >= 2 && paths.every((p) => (p.getAttribute('d') ?? '').split('L').length >= 3)
      },
      null,
      { timeout: 120_000 },
    )
    const series = await page
      .locator('[data-testid=loss-chart] path[data-series]')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-series')))
    const running = (await app.call<JobState[]>('jobs.list')).find((j) => j.status === 'running')
    // Each term in words (shared/trainingTerms.ts): total loss, Dice loss, cross-entropy.
    const terms = Object.keys(running?.progress.losses ?? {})
    expect(terms.length).toBeGreaterThan(0)
    for (const term of terms) expect(series).toContain(trainingTermLabel(term))
    expect(series).toContain('learning rate')
    await screenshot(page, 'training-01-live-curves')

    // A window opened mid-run shows the curve so far from the run's stored metrics, not only new samples:
    // with ≥ 5 epochs stored, the curve right after a reload has at least those 5 points.
    const job = (await app.call<JobState[]>('jobs.list')).find((j) => j.status === 'running')!
    const runId = job.runIds[job.runIds.length - 1]
    let stored = 0
    for (let i = 0; i < 300 && stored < 5; i++) {
      const rows = await app.call<{ subset: string | null; name: string }[]>('runs.metrics', { runId })
      stored = rows.filter((r) => r.subset === 'train' && r.name === 'total').length
      if (stored < 5) await page.waitForTimeout(200)
    }
    expect(stored).toBeGreaterThanOrEqual(5)
    await page.reload()
    const total = page.locator('[data-testid=loss-chart] path[data-series="total loss"]')
    await total.waitFor({ timeout: 10_000 })
    const points = await total.evaluate((p) => (p.getAttribute('d') ?? '').split('L').length)
    expect(points).toBeGreaterThanOrEqual(stored)
  })

  it('shows every job in the jobs panel with its state, and cancels the rest', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Jobs/ }).click()
    // The panel agrees with the API about every training job (polled: a job can finish between looks).
    await expect
      .poll(
        async () => {
          const api = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
          const shown = await Promise.all(
            api.map((j) =>
              page
                .locator(`[data-testid=job-card][data-job-id="${j.id}"] .status-chip`)
                .innerText({ timeout: 2_000 }),
            ),
          )
          return shown.map((s) => s.toLowerCase()).join() === api.map((j) => j.status).join()
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    await screenshot(page, 'training-02-jobs')
    // A job can end on its own between looking and clicking: then its button is gone, which is fine.
    for (let i = 0; i < 6; i++) {
      const cancel = page.getByRole('button', { name: 'Cancel' }).first()
      if (!(await cancel.isVisible())) break
      await cancel.click({ timeout: 2_000 }).catch(() => undefined)
      await page.waitForTimeout(300)
    }
    await page.waitForFunction(
      () => document.querySelector('[data-testid=job-counts]')?.textContent?.includes('0 running · 0 queued'),
      null,
      { timeout: 60_000 },
    )
    const train = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
    expect(train.filter((j) => j.status === 'cancelled').length).toBeGreaterThanOrEqual(1)
    expect(train.every((j) => j.status !== 'running' && j.status !== 'queued')).toBe(true)
    await screenshot(page, 'training-03-cancelled')
  })
})
