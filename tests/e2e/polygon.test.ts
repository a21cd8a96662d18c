// The polygon and the tools in Chromium through serve mode: a vertex placed outside the image is clipped to
// it (not dropped), clicking the first vertex closes the shape like Enter, a closed polygon's vertex can be
// dragged before Enter fills it; tool buttons show an icon and their key; the backend warning opens in full.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, startApp, type BrowserApp } from './harness'

interface Probe {
  maskRect(x: number, y: number, w: number, h: number): number[]
  view(): { scale: number; x: number; y: number } | null
  busy(): boolean
  editable(): boolean
  tilesPending(): number
}
declare const window: { __s4miViewer?: Probe }

// A wide image, so the fitted view leaves room above it for a vertex outside the image.
const W = 600
const H = 240
let app: BrowserApp
let work: string
let imageId: number

async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  const v = (await page.evaluate(() => window.__s4miViewer!.view()))!
  return { x: box.x + v.x + x * v.scale, y: box.y + v.y + y * v.scale }
}

async function clickAt(page: Page, x: number, y: number): Promise<void> {
  const s = await toScreen(page, x, y)
  await page.mouse.click(s.x, s.y)
  // Apart from the next click, so two clicks are never read as a double-click.
  await page.waitForTimeout(350)
}

const maskAt = (page: Page, x: number, y: number) =>
  page.evaluate(([a, b]) => window.__s4miViewer!.maskRect(a, b, 1, 1)[0], [x, y] as const)

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-polygon-'))
  fs.mkdirSync(path.join(work, 'images'), { recursive: true })
  await sharp({ create: { width: W, height: H, channels: 3, background: '#e8c9c0' } })
    .png()
    .toFile(path.join(work, 'images', 'field.png'))
  await app.call('project.create', {
    dir: path.join(app.projectsDir, 'polygon'),
    name: 'Polygon E2E',
    labelMode: 'multi-class',
    classes: [],
    maskClasses: [{ name: 'tumour' }],
  })
  await app.call('import.start', { format: 'folder', path: work })
  for (let i = 0; i < 300; i++) {
    const jobs = await app.call<{ status: string }[]>('jobs.list')
    if (jobs.every((j) => j.status === 'succeeded')) break
    await new Promise((r) => setTimeout(r, 200))
  }
  imageId = (await app.call<{ id: number }[]>('images.list'))[0].id
})

afterAll(async () => {
  await app?.close()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

describe('polygon and tools in Chromium', () => {
  it('clips a vertex outside the image, closes on the first vertex, drags a vertex, and fills on Enter', async () => {
    const { page } = app
    await page.goto(`${app.url}/#/image/${imageId}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    await page.waitForFunction(
      () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
      null,
      { timeout: 20_000 },
    )
    const v = (await page.evaluate(() => window.__s4miViewer!.view()))!
    // Half way up the margin above the image: a vertex at a negative image y.
    const above = -(v.y / v.scale) / 2
    expect(above).toBeLessThan(-5)
    await page.keyboard.press('p')
    await clickAt(page, 100, 200)
    await clickAt(page, 300, above)
    await clickAt(page, 500, 200)
    await clickAt(page, 102, 198) // the first vertex: closes the polygon
    await page.mouse.move(10, 10)
    await screenshot(page, 'polygon-01-closed')
    // Closed, not filled yet.
    expect(await maskAt(page, 300, 150)).toBe(0)
    // Drag the right-hand vertex further down-right before filling.
    const from = await toScreen(page, 500, 200)
    const to = await toScreen(page, 560, 230)
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(to.x, to.y, { steps: 8 })
    await page.mouse.up()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => window.__s4miViewer?.busy() === false)
    await page
      .getByTestId('save-status')
      .filter({ hasText: 'All changes saved' })
      .waitFor({ timeout: 10_000 })
    // The part above the image was clipped at its top edge: row 0 is painted under the apex.
    expect(await maskAt(page, 300, 0)).toBe(1)
    expect(await maskAt(page, 300, 150)).toBe(1)
    // The dragged vertex moved the edge: (540, 215) lies inside only after the drag.
    expect(await maskAt(page, 540, 215)).toBe(1)
    expect(await maskAt(page, 20, 20)).toBe(0)
    await page
      .getByRole('status')
      .filter({ hasText: /clipped/ })
      .or(page.getByText(/clipped to it/))
      .first()
      .waitFor()
    await page.mouse.move(10, 10)
    await screenshot(page, 'polygon-02-filled')
  })

  it('shows tool buttons with an icon and their key, and the backend warning in full on click', async () => {
    const { page } = app
    const polygon = page.locator('[data-action="tool.polygon"]')
    await expect(polygon.locator('svg').count()).resolves.toBe(1)
    await expect(polygon.locator('kbd').innerText()).resolves.toBe('P')
    await expect(polygon.getAttribute('title')).resolves.toMatch(/Polygon: .*\(P\)$/)
    await expect(page.getByRole('region', { name: 'Tools' }).locator('output').innerText()).resolves.toMatch(
      /px$/,
    )
    const warning = page.locator('.status-warning-button')
    if ((await warning.count()) > 0) {
      await warning.click()
      const pop = page.getByRole('dialog', { name: 'Backend warning' })
      await pop.waitFor()
      await expect(pop.isVisible()).resolves.toBe(true)
      await screenshot(page, 'polygon-03-backend-warning')
      await page.keyboard.press('Escape')
      await pop.waitFor({ state: 'hidden' })
    }
  })
})
