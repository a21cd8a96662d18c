import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExperimentStatistics, ExperimentSummary } from '../../src/shared/experiments'
import { screenshot, startApp, type BrowserApp } from './harness'

// Page-side callbacks run in the browser; this file compiles without the DOM library.
declare const document: {
  querySelector(s: string): { textContent: string | null } | null
  querySelectorAll(s: string): ArrayLike<{ getAttribute(name: string): string | null }>
}

// A quick experiment on the demo from the training panel: 2 methods × 2 label fractions × 2 seeds, each run a
// trial (one epoch). Progress with its ETA is visible while it runs; the table fills cell by cell. Eight real
// training runs in worker processes take minutes: run it with `npm run test:e2e-experiment`.
describe.skipIf(!process.env.S4MI_E2E_EXPERIMENT)('an experiment from the training panel', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp({ height: 1400 })
    await app.call('demo.create', { variant: 'multi-class', count: 12 })
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
  })

  it(
    'queues 2 methods × 2 fractions × 2 seeds, shows progress, and fills the table',
    { timeout: 900_000 },
    async () => {
      const page = app.page
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
      const form = page.getByRole('region', { name: 'Experiment' })
      await form.getByRole('checkbox', { name: 'Supervised U-Net' }).waitFor()
      await expect(form.getByRole('checkbox', { name: 'Supervised U-Net' }).isChecked()).resolves.toBe(true)
      await expect(form.getByRole('checkbox', { name: 'Cross teaching' }).isChecked()).resolves.toBe(true)
      for (const f of ['10 %', '30 %', '70 %']) await form.getByRole('checkbox', { name: f }).uncheck()
      await form.getByLabel('Seeds per cell').fill('2')
      await form.getByRole('checkbox', { name: /Trial/ }).check()
      await expect(form.getByTestId('experiment-size').innerText()).resolves.toContain(
        '4 cells × 2 seeds = 8 runs',
      )
      await form.getByRole('button', { name: 'Start experiment' }).click()
      await page.waitForFunction(
        () =>
          /8 runs queued/.test(document.querySelector('[data-testid=experiment-size]')?.textContent ?? '') ||
          document.querySelector('[role=alert]') !== null,
        null,
        { timeout: 30_000 },
      )
      await expect(form.getByTestId('experiment-size').innerText()).resolves.toContain('8 runs queued')

      // Progress is visible while it runs, then the ETA once a first run has finished.
      const progress = page.getByTestId('experiment-progress').first()
      await page.waitForFunction(
        () =>
          /[1-7] of 8 runs done/.test(
            document.querySelector('[data-testid=experiment-progress]')?.textContent ?? '',
          ),
        null,
        { timeout: 300_000, polling: 500 },
      )
      await expect(progress.innerText()).resolves.toMatch(/left|running|queued/)
      await page.getByTestId('experiment').first().scrollIntoViewIfNeeded()
      await screenshot(page, 'experiment-01-progress')

      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid=experiment-progress]')?.textContent ?? '').includes(
            '8 of 8 runs done',
          ),
        null,
        { timeout: 900_000, polling: 1000 },
      )
      await page.waitForFunction(
        () => {
          const cells = document.querySelectorAll('[data-testid=experiment-cell]')
          return cells.length === 4 && Array.from(cells).every((c) => c.getAttribute('data-filled') === 'yes')
        },
        null,
        { timeout: 30_000 },
      )
      await expect(progress.innerText()).resolves.toContain('finished')
      const table = page.getByTestId('experiment-table').first()
      // Two seeds per cell: n = 2 and no interval drawn.
      await expect(table.innerText()).resolves.toMatch(/\(n = 2\)\s*interval not meaningful/)
      await page.getByTestId('experiment').first().scrollIntoViewIfNeeded()
      await screenshot(page, 'experiment-02-table')

      const [experiment] = await app.call<ExperimentSummary[]>('experiments.list')
      expect(experiment.progress).toMatchObject({ total: 8, succeeded: 8, failed: 0 })
      const stats = await app.call<ExperimentStatistics>('experiments.statistics', {
        experimentId: experiment.id,
        metric: 'testIou',
      })
      expect(stats.cells.map((c) => c.n)).toEqual([2, 2, 2, 2])
      // What the table shows is what the statistics say.
      const shown = await table.innerText()
      for (const c of stats.cells) expect(shown).toContain(c.mean.toFixed(3))
    },
  )
})
