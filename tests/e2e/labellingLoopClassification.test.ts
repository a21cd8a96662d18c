import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoopQueue, LoopRun } from '../../src/shared/contract/labellingLoop'
import type { ImageSummary } from '../../src/shared/types'
import { jobsDone, screenshot, startApp, type BrowserApp } from './harness'

// The labelling loop with a classifier: a finished classification run predicts the images nobody has
// labelled, the grid shows each one's predicted diagnosis with its probability, sorted by entropy, and the
// viewer's queue says what the run predicts for the open image.
describe('the labelling loop with a classification run', () => {
  let app: BrowserApp
  let work: string
  beforeAll(async () => {
    app = await startApp({ width: 1400, height: 900 })
    work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-loop-class-'))
    await app.call('demo.create', { variant: 'multi-class', count: 8 })
    await jobsDone(app, 'demo')
    await app.call('train.start', {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    await jobsDone(app, 'train')
    const folder = path.join(work, 'new')
    fs.mkdirSync(folder)
    for (let k = 0; k < 3; k++) {
      const rgb = Buffer.alloc(64 * 64 * 3)
      for (let p = 0; p < 64 * 64; p++) rgb.set([200 - 40 * k, 150, 120 + 30 * k], p * 3)
      await sharp(rgb, { raw: { width: 64, height: 64, channels: 3 } })
        .png()
        .toFile(path.join(folder, `new-${k}.png`))
    }
    await app.call('import.start', { format: 'images', path: folder })
    await jobsDone(app, 'import')
  })
  afterAll(async () => {
    await app?.close()
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  it('predicts the unlabelled images and shows each predicted label with its probability', async () => {
    const { page } = app
    const unlabelled = (await app.call<ImageSummary[]>('images.list')).filter((i) => !i.labelled)
    expect(unlabelled).toHaveLength(3)
    const [run] = await app.call<LoopRun[]>('loop.runs')
    expect(run).toMatchObject({ task: 'classification', strategies: ['entropy'] })
    await page.goto(`${app.url}/#/images`)
    const loop = page.getByRole('region', { name: 'Labelling loop' })
    await loop.waitFor({ timeout: 20_000 })
    const choice = loop.getByRole('combobox', { name: 'Loop run' })
    await expect(choice.locator('option').nth(1).textContent()).resolves.toMatch(/supervised classifier/)
    await choice.selectOption(String(run.runId))
    await loop.getByRole('button', { name: 'Predict unlabelled images' }).click()
    await jobsDone(app, 'predict', 120)
    const queue = await app.call<LoopQueue>('loop.queue', { runId: run.runId, strategy: 'entropy' })
    expect(queue.images.map((q) => q.imageId).sort()).toEqual(unlabelled.map((i) => i.id).sort())
    const top = queue.images[0]
    const card = page.locator(`[data-testid="image-card"][data-image-id="${top.imageId}"]`)
    const label = card.getByTestId('predicted-label')
    await label.waitFor({ timeout: 20_000 })
    const [p] = top.predicted!
    await expect(label.textContent()).resolves.toBe(
      `${p.className} ${Math.round(p.probability * 100)}\u00a0%`,
    )
    await screenshot(page, 'loop-class-01-grid-predicted-labels')

    await page.goto(`${app.url}/#/image/${top.imageId}/run/${run.runId}/queue/entropy`)
    const section = page.getByRole('region', { name: 'Labelling queue' })
    await section.waitFor({ timeout: 20_000 })
    await expect(section.getByTestId('queue-predicted-label').textContent()).resolves.toContain(
      `The run predicts ${p.className} (${Math.round(p.probability * 100)} %)`,
    )
    // A classifier's doubt is one number per image: no heatmap is offered.
    expect(await section.getByRole('checkbox', { name: 'Uncertainty heatmap' }).count()).toBe(0)
    await screenshot(page, 'loop-class-02-viewer-predicted-label')
  })
})
