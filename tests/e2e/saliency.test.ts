import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import type { ImageSummary } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

// Runs in the page; tsconfig.node has no DOM library.
declare const document: { querySelector(s: string): { textContent: string | null } | null }

// Saliency maps on the slide (paper Figure 2): a short classification run, then the viewer draws where its
// classifier looks for the predicted class, and for another class when asked, with an opacity slider.
describe('saliency maps in the viewer', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-class', count: 8 })
    await app.call('train.start', {
      task: 'classification',
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

  it('draws a run’s saliency over the image, per class, with an opacity slider', async () => {
    const page = app.page
    const [image] = await app.call<ImageSummary[]>('images.list')
    await page.goto(`${app.url}/#/image/${image.id}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    const section = page.getByRole('region', { name: 'Saliency' })
    await section.waitFor({ timeout: 20_000 })
    const run = section.getByRole('combobox', { name: 'Saliency run' })
    const runValue = await run.locator('option').nth(1).getAttribute('value')
    expect(runValue).toMatch(/^\d+$/)
    await run.selectOption(runValue!)
    const caption = section.getByTestId('saliency-caption')
    await caption.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\nSaliency section: ${await section.innerText()}\n${app.log()}`)
    })
    expect(await caption.textContent()).toMatch(/Where the classifier looks for “(nevus|melanoma|keratosis)”/)
    await screenshot(page, 'saliency-01-predicted-class')
    await section.getByRole('combobox', { name: 'Saliency class' }).selectOption('keratosis')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="saliency-caption"]')?.textContent?.includes('“keratosis”'),
      null,
      { timeout: 30_000 },
    )
    await section.getByRole('slider', { name: 'Saliency opacity' }).fill('30')
    // The canvas's key says what the heat means, with the ramp the map was coloured with.
    const key = page.getByRole('figure', {
      name: new RegExp(`^Saliency for “keratosis”, run ${runValue} scale$`),
    })
    await expect(key.locator('.heatmap-ticks').innerText()).resolves.toMatch(/none\s+most/)
    await screenshot(page, 'saliency-02-keratosis-faint')
    expect(await section.getByRole('link', { name: /Save the map as PNG/ }).getAttribute('href')).toMatch(
      /^data:image\/png;base64,/,
    )
  })
})
