import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageSummary, ProjectInfo } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

/** The little of a canvas the page-side check uses (this file compiles without the DOM library). */
interface CanvasLike {
  width: number
  height: number
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
  }
}

// The newcomer's path through serve mode in Chromium: welcome → demo project → grid with counts → an image
// with its mask drawn over it. Each step leaves a screenshot in test-output/e2e/.
describe('first start to a masked image', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('offers the demo project on first start', async () => {
    const welcome = app.page.getByTestId('welcome')
    await welcome.waitFor({ timeout: 20_000 })
    await expect(welcome.getByRole('button', { name: /multi-class demo/ }).isVisible()).resolves.toBe(true)
    await expect(welcome.getByRole('button', { name: /multi-label demo/ }).isVisible()).resolves.toBe(true)
    await screenshot(app.page, 'app-01-welcome')
  })

  it('creates the demo project and shows its grid with the counts the API reports', async () => {
    const page = app.page
    await page.getByRole('button', { name: /multi-class demo/ }).click()
    // Progress shows while the demo is generated; then the grid, or an error that fails the test at once.
    const outcome = page.locator('[data-testid=image-card], [data-testid=welcome] [role=alert]').first()
    await outcome.waitFor({ timeout: 150_000 })
    if ((await outcome.getAttribute('role')) === 'alert') {
      await screenshot(page, 'app-02-demo-failed')
      throw new Error(`The demo project failed in the UI: ${await outcome.innerText()}`)
    }
    await page.waitForLoadState('networkidle')
    const info = await app.call<ProjectInfo>('project.info')
    expect(info.counts.images).toBeGreaterThan(0)
    expect(info.counts.masks).toBeGreaterThan(0)
    await expect(page.getByTestId('project-title').innerText()).resolves.toContain(info.name)
    const count = async (id: string) =>
      Number((await page.getByTestId(id).locator('.count-value').innerText()).replace(/\D/g, ''))
    expect(await count('count-images')).toBe(info.counts.images)
    expect(await count('count-labelled')).toBe(info.counts.labelledImages)
    expect(await count('count-masks')).toBe(info.counts.masks)
    expect(await count('count-tiles')).toBe(info.counts.tiles)
    await expect(page.getByTestId('image-card').count()).resolves.toBe(info.counts.images)
    await screenshot(page, 'app-02-demo-grid')

    // Filtering to one class shows exactly that class's images.
    const images = await app.call<ImageSummary[]>('images.list')
    const first = info.classes[0]
    await page.getByLabel('Filter by class').selectOption(String(first.id))
    const expected = images.filter((i) => i.labels.includes(first.id)).length
    await expect(page.getByTestId('image-card').count()).resolves.toBe(expected)
    await page.getByLabel('Filter by class').selectOption('all')
  })

  it('opens an image and draws its mask in class colours where the mask is foreground', async () => {
    const page = app.page
    const images = await app.call<ImageSummary[]>('images.list')
    const info = await app.call<ProjectInfo>('project.info')
    const target = images.find((i) => i.hasMask && i.maskBlob)
    expect(target, 'the demo has an image with a mask').toBeDefined()
    await page.locator(`[data-testid=image-card][data-image-id="${target!.id}"]`).click()
    const overlay = page.getByTestId('mask-overlay')
    await page.locator('[data-testid=mask-overlay][data-state=ready]').waitFor({ timeout: 20_000 })
    await screenshot(page, 'app-03-image-with-mask')

    // What the canvas holds, pixel by pixel, against the mask PNG decoded independently in Node.
    const drawn = await overlay.evaluate((el) => {
      const c = el as unknown as CanvasLike
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let painted = 0
      const colours = new Set<string>()
      const alphaAt: number[] = []
      for (let i = 0; i < d.length; i += 4) {
        alphaAt.push(d[i + 3])
        if (d[i + 3] > 0) {
          painted++
          colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`)
        }
      }
      return { width: c.width, height: c.height, painted, colours: [...colours], alphaAt }
    })
    const res = await fetch(`${app.url}/blob/${target!.maskBlob}`)
    const { data, info: meta } = await sharp(Buffer.from(await res.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([drawn.width, drawn.height]).toEqual([target!.width, target!.height])
    let foreground = 0
    let mismatched = 0
    const classIndices = new Set<number>()
    for (let p = 0; p < meta.width * meta.height; p++) {
      const k = data[p * meta.channels]
      if (k > 0) {
        foreground++
        classIndices.add(k)
      }
      if (k > 0 !== drawn.alphaAt[p] > 0) mismatched++
    }
    expect(foreground).toBeGreaterThan(0)
    expect(drawn.painted).toBe(foreground)
    expect(mismatched).toBe(0)
    // Each painted colour is the colour of a class the mask holds (index k → the project's k-th class), up to
    // the rounding of the canvas's premultiplied alpha on the half-transparent fill.
    const rgbOf = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
    const allowed = [...classIndices].map((k) => rgbOf(info.classes[k - 1].color))
    for (const colour of drawn.colours) {
      const rgb = colour.split(',').map(Number)
      const near = allowed.some((a) => a.every((v, i) => Math.abs(v - rgb[i]) <= 3))
      expect(near, `painted colour ${colour} is a class colour of this mask`).toBe(true)
    }
  })

  it('shows the backend and job counts in the status bar', async () => {
    const status = app.page.getByTestId('status-bar')
    await expect(status.getByTestId('backend-status').innerText()).resolves.toMatch(/Backend:/)
    await expect(status.getByTestId('job-counts').innerText()).resolves.toMatch(/\d+ running · \d+ queued/)
  })
})
