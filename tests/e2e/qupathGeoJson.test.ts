// QuPath GeoJSON in Chromium: the export panel writes a mask as QuPath's objects; the import dialog reads
// QuPath's files back, classes by name: an unknown class is refused naming the file and field with the
// project unchanged, and with "add mask classes" an uploaded file becomes the image's new mask.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, startApp, type BrowserApp } from './harness'

interface Probe {
  maskRect(x: number, y: number, w: number, h: number): number[]
  editable(): boolean
  tilesPending(): number
}
declare const window: { __s4miViewer?: Probe }

const W = 320
const H = 240
let app: BrowserApp
let work: string
let imageId: number

/** Tumor (1): a block with a hole; Stroma (2): a strip below it. */
function drawnMask(): Buffer {
  const m = Buffer.alloc(W * H)
  for (let y = 20; y < 140; y++) for (let x = 30; x < 200; x++) m[y * W + x] = 1
  for (let y = 60; y < 100; y++) for (let x = 80; x < 120; x++) m[y * W + x] = 0
  for (let y = 170; y < 210; y++) for (let x = 20; x < 300; x++) m[y * W + x] = 2
  return m
}

/** One detection of `className` over the square [x0, y0]–[x1, y1], as QuPath 0.5 exports it. */
function quPathFile(className: string, [x0, y0, x1, y1]: number[]): string {
  const ring = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ]
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: '6f1d2c3b-8a9e-4f70-b1c2-d3e4f5a6b7c8',
        geometry: { type: 'Polygon', coordinates: [ring] },
        properties: { objectType: 'detection', classification: { name: className, color: [120, 40, 160] } },
      },
    ],
  })
}

async function waitJobs(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const jobs = await app.call<{ status: string; error: string | null }[]>('jobs.list')
    const failed = jobs.find((j) => j.status === 'failed')
    if (failed) throw new Error(`import failed: ${failed.error}`)
    if (jobs.every((j) => j.status === 'succeeded')) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('import did not finish')
}

async function openViewer(page: Page): Promise<void> {
  await page.goto(`${app.url}/#/image/${imageId}`)
  await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
  await page.waitForFunction(
    () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
    null,
    { timeout: 20_000 },
  )
}

const maskHeadId = async () =>
  (await app.call<{ head: { id: number } | null }>('mask.get', { imageId })).head?.id

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-qupath-'))
  const raw = Buffer.alloc(W * H * 3)
  for (let i = 0; i < W * H; i++) raw.set([200 + (i % 40), 150 + ((i >> 5) % 50), 190], i * 3)
  await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(path.join(work, 'case 12.png'))
  await app.call('project.create', {
    dir: path.join(app.projectsDir, 'qupath'),
    name: 'QuPath E2E',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [
      { name: 'Tumor', color: '#c80000' },
      { name: 'Stroma', color: '#96c896' },
    ],
  })
  await app.call('import.start', { format: 'images', path: path.join(work, 'case 12.png') })
  await waitJobs()
  ;[{ id: imageId }] = await app.call<{ id: number }[]>('images.list')
  const png = await sharp(drawnMask(), { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toBuffer()
  await app.call('mask.commit', { imageId, png: png.toString('base64') })
})

afterAll(async () => {
  await app?.close()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

describe('QuPath GeoJSON in Chromium', () => {
  it('exports the mask from the export panel as QuPath objects, one per class', async () => {
    const { page } = app
    const out = path.join(app.projectsDir, 'geojson')
    await openViewer(page)
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    await page.getByLabel('Export format').selectOption('geojson')
    await page.getByLabel('Export folder').fill(out)
    await page.getByRole('button', { name: 'Export masks as QuPath GeoJSON' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'Exported 2 QuPath GeoJSON objects of 1 masks' })
      .waitFor()
    await screenshot(page, 'qupath-01-exported')
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'case 12.geojson'), 'utf8'))
    expect(
      doc.features.map(
        (f: { properties: { classification: { name: string } } }) => f.properties.classification.name,
      ),
    ).toEqual(['Tumor', 'Stroma'])
    // The Tumor block keeps its hole: an outer ring and an inner one.
    expect(doc.features[0].geometry).toMatchObject({
      type: 'Polygon',
      coordinates: [expect.any(Array), expect.any(Array)],
    })
  })

  it('refuses a file naming an unknown class, naming the file and field; nothing changes', async () => {
    const { page } = app
    const file = path.join(work, 'case 12.geojson')
    fs.writeFileSync(file, quPathFile('Necrosis', [240, 30, 290, 80]))
    const head = await maskHeadId()
    await page.getByRole('button', { name: 'Import…', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await dialog.getByText('QuPath GeoJSON', { exact: true }).click()
    await dialog.getByLabel('Advanced: type a path on the server instead').check()
    await dialog.getByLabel('Import path').fill(file)
    await dialog.getByRole('button', { name: 'Start import' }).click()
    const problems = dialog.locator('.problem-list li')
    await problems.first().waitFor({ timeout: 30_000 })
    await expect(problems.allInnerTexts()).resolves.toEqual([
      'case 12.geojson features[0]: class "Necrosis" is not a mask class of this project (Tumor, Stroma): add it, or let the import create it',
    ])
    await screenshot(page, 'qupath-02-refused')
    expect(await maskHeadId()).toBe(head)
    const info = await app.call<{ maskClasses: { name: string }[] }>('project.info')
    expect(info.maskClasses.map((c) => c.name)).toEqual(['Tumor', 'Stroma'])
  })

  it('uploads the file with "add mask classes" and it becomes the image’s new mask', async () => {
    const { page } = app
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await dialog.getByLabel('Advanced: type a path on the server instead').uncheck()
    await dialog.getByLabel('Choose files to upload').setInputFiles(path.join(work, 'case 12.geojson'))
    await dialog.getByLabel('Add mask classes the file names but the project lacks').check()
    await dialog.getByRole('button', { name: 'Import again' }).click()
    await dialog.locator('.status-chip.status-succeeded').waitFor({ timeout: 30_000 })
    await expect(dialog.getByRole('status').innerText()).resolves.toMatch(
      /^Imported 1 object into 1 mask .*Added mask classes: Necrosis\.$/,
    )
    await screenshot(page, 'qupath-03-imported')
    await dialog.getByRole('button', { name: 'Done' }).click()
    // The viewer open behind the dialog follows: the new mask, and the new class in its palette and legend.
    await page.waitForFunction(
      () => window.__s4miViewer!.maskRect(240, 30, 50, 50).every((v) => v === 3),
      null,
      { timeout: 10_000 },
    )
    await expect(
      page.evaluate(() => window.__s4miViewer!.maskRect(30, 20, 170, 120).some((v) => v !== 0)),
    ).resolves.toBe(false)
    await page.getByRole('button', { name: 'Necrosis', exact: true }).waitFor({ timeout: 10_000 })
    await expect(page.getByRole('group', { name: 'Legend' }).innerText()).resolves.toContain('Necrosis')
    await screenshot(page, 'qupath-04-mask-in-viewer')
  })
})
