import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoopQueue } from '../../src/shared/contract/labellingLoop'
import type { MaskState } from '../../src/shared/api'
import type { ImageSummary } from '../../src/shared/types'
import { jobsDone, screenshot, startApp, type BrowserApp } from './harness'

// Runs in the page; tsconfig.node has no DOM library.
declare const window: {
  __s4miViewer?: {
    editable(): boolean
    view(): { x: number; y: number; scale: number } | null
    busy(): boolean
  }
}

/** Unlabelled newcomers: lesion-like discs on skin-like backgrounds, no masks. */
async function newImages(folder: string, n: number): Promise<void> {
  fs.mkdirSync(folder, { recursive: true })
  for (let k = 0; k < n; k++) {
    const size = 96
    const rgb = Buffer.alloc(size * size * 3)
    const r = 14 + 6 * k
    for (let p = 0; p < size * size; p++) {
      const inside = ((p % size) - 48) ** 2 + (Math.floor(p / size) - 48) ** 2 < r * r
      rgb.set(inside ? [120 - 10 * k, 60, 50] : [220, 170 + 5 * k, 150], p * 3)
    }
    await sharp(rgb, { raw: { width: size, height: size, channels: 3 } })
      .png()
      .toFile(path.join(folder, `new-${k}.png`))
  }
}

// The labelling loop from the UI: a run predicts the unlabelled images, the grid sorts them by uncertainty,
// the viewer walks the queue with the uncertainty heatmap, and a corrected prediction becomes a label.
describe('the labelling loop', () => {
  let app: BrowserApp
  let work: string
  beforeAll(async () => {
    app = await startApp({ width: 1400, height: 900 })
    work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-loop-'))
    await app.call('demo.create', { variant: 'multi-class', count: 8 })
    await jobsDone(app, 'demo')
    await app.call('train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 2 },
    })
    await jobsDone(app, 'train')
    await newImages(path.join(work, 'new'), 4)
    await app.call('import.start', { format: 'images', path: path.join(work, 'new') })
    await jobsDone(app, 'import')
  })
  afterAll(async () => {
    await app?.close()
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  it('predicts the unlabelled images, sorts the grid by uncertainty, and turns a corrected prediction into a label', async () => {
    const { page } = app
    const unlabelled = (await app.call<ImageSummary[]>('images.list')).filter((i) => !i.hasMask)
    expect(unlabelled).toHaveLength(4)
    await page.goto(`${app.url}/#/images`)
    const loop = page.getByRole('region', { name: 'Labelling loop' })
    await loop.waitFor({ timeout: 20_000 })
    const run = loop.getByRole('combobox', { name: 'Loop run' })
    const runId = Number(await run.locator('option').nth(1).getAttribute('value'))
    await run.selectOption(String(runId))
    await loop.getByRole('button', { name: 'Predict unlabelled images' }).click()
    await loop
      .getByTestId('loop-summary')
      .filter({ hasText: '4 unlabelled images ranked' })
      .waitFor({ timeout: 60_000 })
    await loop.getByTestId('loop-summary').filter({ hasText: 'most uncertain first' }).waitFor()

    // The grid starts with the queue, most uncertain first, each with its prediction badge.
    const queue = await app.call<LoopQueue>('loop.queue', { runId, strategy: 'entropy' })
    const scores = queue.images.map((q) => q.score!)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const cards = page.getByTestId('image-card')
    const firstIds = await Promise.all([0, 1, 2, 3].map((k) => cards.nth(k).getAttribute('data-image-id')))
    expect(firstIds.map(Number)).toEqual(queue.images.map((q) => q.imageId))
    await expect(cards.nth(0).getByTestId('prediction-badge').textContent()).resolves.toMatch(
      /^#1 · entropy \d\.\d{3}$/,
    )
    await screenshot(page, 'loop-01-grid-sorted-by-uncertainty')

    // The viewer walks the queue with the heatmap of where the run is unsure.
    await loop.getByRole('button', { name: 'Review the most uncertain' }).click()
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    await page.waitForFunction(() => window.__s4miViewer?.editable() === true, null, { timeout: 20_000 })
    const section = page.getByRole('region', { name: 'Labelling queue' })
    await section.getByTestId('queue-place').filter({ hasText: 'Image 1 of 4' }).waitFor({ timeout: 20_000 })
    await expect(section.getByRole('checkbox', { name: 'Uncertainty heatmap' }).isChecked()).resolves.toBe(
      true,
    )
    await page.waitForTimeout(800)
    await page
      .getByRole('figure', { name: `Uncertainty (Predictive entropy), run ${runId} scale` })
      .waitFor({ timeout: 20_000 })
    await screenshot(page, 'loop-02-viewer-uncertainty-heatmap')

    // Accept the run's prediction as the mask, then correct it with the brush.
    const first = queue.images[0].imageId
    const predictions = page.getByRole('region', { name: 'Predictions' })
    await predictions.getByRole('button', { name: /Accept as mask/ }).click()
    await page.getByTestId('accept-prediction').getByRole('button', { name: 'Replace mask' }).click()
    const head = async () => (await app.call<MaskState>('mask.get', { imageId: first })).head
    for (let i = 0; (await head())?.kind !== 'prediction'; i++) {
      if (i > 100) throw new Error('the prediction was not accepted')
      await new Promise((r) => setTimeout(r, 200))
    }
    expect((await head())!.runId).toBe(runId)
    await page.getByTestId('viewer-canvas').focus()
    await page.keyboard.press('b')
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!
    const v = (await page.evaluate(() => window.__s4miViewer!.view()))!
    const at = (x: number, y: number) => ({ x: box.x + v.x + x * v.scale, y: box.y + v.y + y * v.scale })
    await page.mouse.move(at(10, 10).x, at(10, 10).y)
    await page.mouse.down()
    await page.mouse.move(at(40, 12).x, at(40, 12).y, { steps: 8 })
    await page.mouse.up()
    for (let i = 0; (await head())?.kind !== 'edit'; i++) {
      if (i > 100) throw new Error('the correction was not saved')
      await new Promise((r) => setTimeout(r, 200))
    }
    const corrected = (await app.call<ImageSummary[]>('images.list')).find((i) => i.id === first)!
    expect(corrected.hasMask).toBe(true)
    await screenshot(page, 'loop-03-corrected-prediction')

    // The next most uncertain image opens; the labelled one has left the pool.
    await section.getByRole('button', { name: 'Next most uncertain' }).click()
    await section.getByTestId('queue-place').filter({ hasText: 'Image 2 of 4' }).waitFor({ timeout: 20_000 })
    expect(page.url()).toContain(`/image/${queue.images[1].imageId}/run/${runId}/queue/entropy`)
    const after = await app.call<LoopQueue>('loop.queue', { runId, strategy: 'entropy' })
    expect(after.images.map((q) => q.imageId)).not.toContain(first)
  })
})
