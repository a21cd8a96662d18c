// Tissue detection in Chromium: generated half-glass slides (stained left half, bare glass right half) are
// imported; the viewer shows the tissue mask on request over the tissue half only, and a real training run
// records the glass tiles it left out per subset of its split, shown on its run page.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeHalfGlassSlide } from '../../src/core/data/fixtures/halfGlassSlide'
import type { JobState } from '../../src/shared/events'
import type { RunSummary } from '../../src/shared/training'
import type { ImageSummary } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

declare const window: { __s4miViewer?: { editable(): boolean; tilesPending(): number } }

/** Six slides (width × height); cut into 480-px tiles, the right half's tiles are glass. */
const SLIDES: [number, number][] = [
  [1920, 960],
  [960, 960],
  [2880, 960],
  [1920, 480],
  [960, 480],
  [3840, 480],
]
let app: BrowserApp
let work: string

async function waitJobs(kind: string, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const jobs = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === kind)
    const failed = jobs.find((j) => j.status === 'failed')
    if (failed) throw new Error(`${kind} failed: ${failed.error}`)
    if (jobs.length && jobs.every((j) => j.status === 'succeeded')) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${kind} did not finish in ${timeoutMs / 1000} s`)
}

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-tissue-'))
  const slides = path.join(work, 'slides')
  const outlines = path.join(work, 'outlines')
  fs.mkdirSync(slides)
  fs.mkdirSync(outlines)
  for (const [i, [w, h]] of SLIDES.entries()) {
    const one = fs.mkdtempSync(path.join(work, 'one-'))
    fs.renameSync(await writeHalfGlassSlide(one, w, h), path.join(slides, `slide ${i + 1}.tif`))
    // Its mask: the tissue half, as a QuPath annotation.
    const ring = [
      [0, 0],
      [w / 2, 0],
      [w / 2, h],
      [0, h],
      [0, 0],
    ]
    const feature = {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { objectType: 'annotation', classification: { name: 'tissue', color: [0, 158, 115] } },
    }
    fs.writeFileSync(
      path.join(outlines, `slide ${i + 1}.geojson`),
      JSON.stringify({ type: 'FeatureCollection', features: [feature] }),
    )
  }
  await app.call('project.create', {
    dir: path.join(app.projectsDir, 'tissue'),
    name: 'Tissue E2E',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [{ name: 'tissue', color: '#009e73' }],
  })
  await app.call('import.start', { format: 'images', path: slides })
  await waitJobs('import', 120_000)
  await app.call('import.start', { format: 'geojson', path: outlines })
  await waitJobs('import', 60_000)
}, 240_000)

afterAll(async () => {
  await app?.close()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

describe('tissue detection in Chromium', () => {
  it('shows the tissue mask on request over the stained half, and the tiles it keeps and skips', async () => {
    const { page } = app
    const image = (await app.call<ImageSummary[]>('images.list')).find((i) => i.name === 'slide 1.tif')!
    await page.goto(`${app.url}/#/image/${image.id}`)
    await page.waitForFunction(
      () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
      null,
      { timeout: 20_000 },
    )
    // Hide the annotation so that only the tissue layer changes the picture.
    await page.getByLabel('Show mask (M)').uncheck()
    const canvas = page.getByTestId('viewer-canvas')
    const box = (await canvas.boundingBox())!
    const before = await canvas.screenshot()
    const section = page.getByRole('region', { name: 'Tissue detection' })
    await section.getByLabel('Show the tissue mask').check()
    await expect(section.getByTestId('tissue-caption').innerText()).resolves.toMatch(
      /^4 tiles used for training and prediction, 4 skipped as mostly glass/,
    )
    await page.waitForTimeout(300)
    const after = await canvas.screenshot()
    await screenshot(page, 'tissue-01-mask-shown')
    // Where the slide lies on screen: fitted and centred (probe view), in canvas pixels.
    const v = (await page.evaluate(() =>
      (
        window as unknown as { __s4miViewer: { view(): { x: number; y: number; scale: number } } }
      ).__s4miViewer.view(),
    ))!
    const at = async (png: Buffer, sx: number, sy: number) => {
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
      const k =
        (Math.round(sy * (info.height / box.height)) * info.width +
          Math.round(sx * (info.width / box.width))) *
        info.channels
      return [data[k], data[k + 1], data[k + 2]]
    }
    const tissuePoint = [v.x + 480 * v.scale, v.y + 480 * v.scale] as const
    const glassPoint = [v.x + 1440 * v.scale, v.y + 480 * v.scale] as const
    const changed = (a: number[], b: number[]) => a.some((c, i) => Math.abs(c - b[i]) > 12)
    expect(changed(await at(before, ...tissuePoint), await at(after, ...tissuePoint))).toBe(true)
    expect(changed(await at(before, ...glassPoint), await at(after, ...glassPoint))).toBe(false)
  })

  it('a training run records the glass tiles it left out per subset and its run page shows them', async () => {
    const { page } = app
    await app.call('train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    await waitJobs('train', 300_000)
    const [run] = await app.call<RunSummary[]>('runs.list')
    // What each subset should say: the right half of every slide is glass, half its tiles.
    const images = await app.call<ImageSummary[]>('images.list')
    const want = { train: [0, 0], val: [0, 0], test: [0, 0] }
    for (const img of images) {
      const t = await app.call<{ tilesSkipped: number }>('viewer.tissue', { imageId: img.id })
      expect(t.tilesSkipped).toBe(img.tileCount / 2)
      const s = want[img.subset as keyof typeof want]
      s[0] += t.tilesSkipped
      s[1] += 1
    }
    expect(want.train[1] * want.val[1] * want.test[1]).toBeGreaterThan(0)
    const says = (name: string, [tiles, slides]: number[]) =>
      `${name} ${tiles} (${slides} slide${slides === 1 ? '' : 's'})`
    await page.goto(`${app.url}/#/run/${run.id}`)
    const fact = page.locator('.facts > div').filter({ hasText: 'Tiles skipped as glass' }).locator('dd')
    await fact.waitFor({ timeout: 20_000 })
    await expect(fact.innerText()).resolves.toBe(
      [says('training', want.train), says('validation', want.val), says('test', want.test)].join(' · '),
    )
    await fact.scrollIntoViewIfNeeded()
    await screenshot(page, 'tissue-02-run-page')
  }, 360_000)
})
