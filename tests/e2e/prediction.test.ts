import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import type { ImageSummary } from '../../src/shared/types'
import type { MaskState } from '../../src/shared/api'
import { screenshot, startApp, type BrowserApp } from './harness'

// Runs in the page; tsconfig.node has no DOM library.
declare const window: { __s4miViewer?: { editable(): boolean } }
declare const document: { querySelector(selector: string): unknown }

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
      labelFraction: 1,
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

  it('overlays a run’s prediction, shows its difference, and accepts it on a test image only when confirmed', async () => {
    const page = app.page
    const images = await app.call<ImageSummary[]>('images.list')
    const image = images.find((i) => i.subset === 'test' && i.hasMask)!
    expect(image, 'the demo has a test image with a mask').toBeDefined()
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
    await predictions.getByRole('checkbox', { name: /Show/ }).check()
    await screenshot(page, 'prediction-01-overlay')
    await predictions.getByRole('radio', { name: 'Difference with mask' }).check()
    await predictions.getByRole('list', { name: 'Difference legend' }).waitFor()
    await page.waitForTimeout(500)
    await screenshot(page, 'prediction-02-difference')
    // The difference follows how accepting would go: filling only unpainted pixels changes no painted one.
    await predictions.getByRole('radio', { name: /Fill only where unpainted/ }).check()
    await page.waitForTimeout(500)
    await screenshot(page, 'prediction-02b-difference-fill-unpainted')

    // The confirmation opens on the same choice, says what it replaces, and that this is evaluation data.
    await predictions.getByRole('button', { name: /Accept as mask/ }).click()
    const dialog = page.getByTestId('accept-prediction')
    await dialog.getByText(/replaces the current mask \(imported/).waitFor({ timeout: 20_000 })
    await dialog.getByRole('button', { name: 'Fill unpainted' }).waitFor()
    await dialog.getByRole('radio', { name: 'Replace the mask' }).check()
    await dialog.getByText(/in the test set: its mask is\s+the ground truth/).waitFor()
    const accept = dialog.getByRole('button', { name: 'Replace mask' })
    await expect(accept.isDisabled()).resolves.toBe(true)
    await screenshot(page, 'prediction-03-confirm-test-image')
    await dialog.getByRole('checkbox', { name: /I mean to change test ground truth/ }).check()
    await accept.click()
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
    expect(after.head).toMatchObject({ kind: 'prediction', runId: Number(runValue) })
    expect(after.undo).toBe(before.undo + 1)
    await screenshot(page, 'prediction-04-accepted')

    // Undo goes back to the imported mask; past it only after saying so.
    await page.getByTestId('viewer-canvas').focus()
    await page.keyboard.press('Control+z')
    await page.waitForFunction(
      async ({ id, headers }) => {
        const res = await fetch('/api/mask.get', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ imageId: id }),
        })
        return ((await res.json()) as { result: MaskState }).result.head?.kind === 'import'
      },
      { id: image.id, headers: app.headers },
      { timeout: 20_000 },
    )
    await page.waitForTimeout(300)
    await page.keyboard.press('Control+z')
    const undoDialog = page.getByTestId('undo-past-first')
    await undoDialog.getByText(/removes the imported mask/).waitFor({ timeout: 10_000 })
    await screenshot(page, 'prediction-05-undo-past-import')
    await undoDialog.getByRole('button', { name: 'Keep the mask' }).click()
    expect((await app.call<MaskState>('mask.get', { imageId: image.id })).head?.kind).toBe('import')

    // With the project's lock on, evaluation masks cannot be replaced at all.
    const lock = page
      .getByRole('region', { name: 'Ground truth' })
      .getByRole('checkbox', { name: /Lock validation and test masks/ })
    // A controlled box: it turns checked once the project setting is saved.
    await lock.click()
    await page.waitForFunction(
      () =>
        (document.querySelector('section[aria-label="Ground truth"] input') as { checked: boolean } | null)
          ?.checked === true,
    )
    await predictions.getByRole('button', { name: /Accept as mask/ }).click()
    await dialog.getByText(/The project locks validation and test masks/).waitFor({ timeout: 20_000 })
    await expect(dialog.getByRole('button', { name: 'Replace mask' }).isDisabled()).resolves.toBe(true)
    await screenshot(page, 'prediction-06-locked')
    const refused = await app.post('viewer.acceptPrediction', {
      imageId: image.id,
      runId: Number(runValue),
      evaluationConfirmed: true,
    })
    expect(JSON.stringify(refused.body)).toMatch(/locked by the project setting/)
  })

  it('draws the run’s probability heatmap in viridis, with its legend and its own opacity', async () => {
    const page = app.page
    const images = await app.call<ImageSummary[]>('images.list')
    const image = images.find((i) => i.hasMask)!
    await page.goto(`${app.url}/#/image/${image.id}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    const predictions = page.getByRole('region', { name: 'Predictions' })
    await predictions.waitFor({ timeout: 20_000 })
    const run = predictions.getByRole('combobox', { name: 'Prediction run' })
    await run.selectOption((await run.locator('option').nth(1).getAttribute('value'))!)
    await predictions.getByRole('radio', { name: 'Probability heatmap' }).check()
    await page
      .getByRole('figure', { name: /^Probability of .*, run \d+ scale$/ })
      .waitFor({ timeout: 20_000 })
    // The layer's pixels are the map in viridis: several colours, all on the ramp (blue-green-yellow, no red).
    const colours = async () =>
      page.waitForFunction(
        () => {
          const c = document.querySelector('[aria-label="Probability heatmap layer"] canvas') as {
            width: number
            height: number
            getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } }
          } | null
          if (!c) return null
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
          const seen = new Set<string>()
          for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`)
          return seen.size > 1 ? [...seen] : null
        },
        null,
        { timeout: 20_000 },
      )
    const seen = (await (await colours()).jsonValue()) as string[]
    for (const c of seen) {
      const [r, g, b, a] = c.split(',').map(Number)
      expect(a).toBe(255)
      expect(r > 200 && g < 100, `viridis has no red: ${c}`).toBe(false)
      expect(b > 20 || g > 200, `viridis is never near black or pure red: ${c}`).toBe(true)
    }
    const layer = page.getByLabel('Probability heatmap layer')
    const opacity = () =>
      layer.evaluate((el) => (el as unknown as { style: { opacity: string } }).style.opacity)
    expect(await opacity()).toBe('0.6')
    await predictions.getByRole('slider', { name: 'Heatmap opacity' }).fill('30')
    await expect.poll(opacity).toBe('0.3')
    await screenshot(page, 'prediction-07-probability-heatmap')
  })
})
