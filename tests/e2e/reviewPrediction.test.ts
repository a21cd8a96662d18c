import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MaskState } from '../../src/shared/api'
import type { RunDetail } from '../../src/shared/training'
import type { ImageSummary } from '../../src/shared/types'
import { jobsDone, screenshot, startApp, type BrowserApp } from './harness'

// Review and correct: a prediction accepted only where the model is confident becomes a "reviewed" mask,
// apart from masks drawn by hand; training takes hand-drawn masks only unless told to take reviewed ones.
describe('reviewing a prediction', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp({ width: 1400, height: 900 })
    await app.call('demo.create', { variant: 'multi-class', count: 8 })
    await jobsDone(app, 'demo')
    await app.call('train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    await jobsDone(app, 'train')
  })
  afterAll(async () => {
    await app?.close()
  })

  it('accepts only confident pixels, marks the image reviewed, and trains on it only when asked', async () => {
    const { page } = app
    const images = await app.call<ImageSummary[]>('images.list')
    const target = images.find((i) => i.subset === 'train' && i.hasMask)!
    const [run] = await app.call<{ id: number }[]>('runs.list')
    await page.goto(`${app.url}/#/image/${target.id}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    const predictions = page.getByRole('region', { name: 'Predictions' })
    await predictions.getByRole('combobox', { name: 'Prediction run' }).selectOption(String(run.id))
    await predictions.getByRole('button', { name: /Accept as mask/ }).click()
    const dialog = page.getByTestId('accept-prediction')
    await dialog.getByRole('radio', { name: /Only where the model is confident/ }).check()
    await dialog.getByRole('slider', { name: 'Confidence threshold' }).fill('0.6')
    await dialog.getByText('Probability at least 60 %').waitFor()
    await screenshot(page, 'review-01-accept-confident-only')
    await dialog.getByRole('button', { name: 'Accept confident pixels' }).click()
    const head = async () => (await app.call<MaskState>('mask.get', { imageId: target.id })).head
    for (let i = 0; (await head())?.kind !== 'prediction'; i++) {
      if (i > 100) throw new Error('the prediction was not accepted')
      await new Promise((r) => setTimeout(r, 200))
    }
    expect((await head())!).toMatchObject({ runId: run.id, reviewed: true })

    // The grid says the image is reviewed, not labelled by hand.
    await page.goto(`${app.url}/#/images`)
    const card = page.locator(`[data-testid="image-card"][data-image-id="${target.id}"]`)
    await card.getByTestId('reviewed-badge').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('reviewed-badge').count()).toBe(1)
    await screenshot(page, 'review-02-grid-reviewed-badge')

    // Training: hand-drawn masks only by default; reviewed ones when chosen, recorded on the run.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    const summary = page.getByTestId('labelled-set-summary')
    await summary.waitFor()
    await page.getByRole('radio', { name: /exactly what I labelled/ }).check()
    await summary.filter({ hasText: 'exactly what you labelled, masks drawn by hand' }).waitFor()
    const handCount = Number((await summary.textContent())!.match(/(\d+) images?\./)![1])
    await page.getByRole('combobox', { name: 'Masks to train on' }).selectOption('reviewed')
    await summary.filter({ hasText: 'exactly what you labelled, masks by hand and reviewed' }).waitFor()
    expect(Number((await summary.textContent())!.match(/(\d+) images?\./)![1])).toBe(handCount + 1)
    await screenshot(page, 'review-03-train-on-reviewed-masks')
    await app.call('train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 'active',
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    await jobsDone(app, 'train')
    const runs = await app.call<{ id: number }[]>('runs.list')
    const latest = Math.max(...runs.map((r) => r.id))
    const detail = await app.call<RunDetail>('runs.get', { runId: latest })
    expect(detail.labelSource).toBe('reviewed')
    expect(detail.labelledImageIds).toContain(target.id)
  })
})
