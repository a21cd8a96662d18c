import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import type { ImageSummary } from '../../src/shared/types'
import type { MaskState } from '../../src/shared/api'
import { screenshot, startApp, type BrowserApp } from './harness'

// Runs in the page; tsconfig.node has no DOM library.
declare const window: { __s4miViewer?: { editable(): boolean } }

// Machine-assisted annotation: a short real training run leaves a stitched prediction per image; the viewer
// overlays it and "Accept" makes it the image's mask (a revision of kind 'prediction'), ready to correct.
describe('predictions on the slide', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-class', count: 8 })
    await app.call('train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 100,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 2 },
    })
    for (let i = 0; ; i++) {
      const train = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
      const failed = train.find((j) => j.status === 'failed')
      if (failed) throw new Error(`training failed: ${failed.error}`)
      if (train.length > 0 && train.every((j) => j.status === 'succeeded')) break
      if (i > 900) throw new Error('training did not finish in 180 s')
      await new Promise((r) => setTimeout(r, 200))
    }
  })
  afterAll(async () => {
    await app?.close()
  })

  it('overlays a run’s prediction and accepts it as the starting mask', async () => {
    const page = app.page
    const [image] = await app.call<ImageSummary[]>('images.list')
    const before = await app.call<MaskState>('mask.get', { imageId: image.id })
    await page.goto(`${app.url}/#/image/${image.id}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    await page.waitForFunction(() => window.__s4miViewer?.editable() === true, null, { timeout: 20_000 })
    const predictions = page.getByRole('region', { name: 'Predictions' })
    await predictions.waitFor({ timeout: 20_000 })
    const run = predictions.getByRole('combobox', { name: 'Prediction run' })
    const runValue = await run.locator('option').nth(1).getAttribute('value')
    expect(runValue).toMatch(/^\d+$/)
    await run.selectOption(runValue!)
    await predictions.getByRole('checkbox').check()
    await screenshot(page, 'prediction-01-overlay')
    await predictions.getByRole('button', { name: /Accept as mask/ }).click()
    await page.waitForFunction(
      async ({ id, headers }) => {
        const res = await fetch('/api/mask.get', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ imageId: id }),
        })
        const body = (await res.json()) as { result: MaskState }
        return body.result.head?.kind === 'prediction'
      },
      { id: image.id, headers: app.headers },
      { timeout: 20_000 },
    )
    const after = await app.call<MaskState>('mask.get', { imageId: image.id })
    expect(after.head?.kind).toBe('prediction')
    expect(after.undo).toBe(before.undo + 1)
    await screenshot(page, 'prediction-02-accepted')
  })
})
