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

declare const window: {
  __s4miViewer?: { editable(): boolean; view(): { scale: number; x: number; y: number } | null }
}
interface Box {
  left: number
  top: number
  right: number
  bottom: number
  width: number
  height: number
}
interface LayerLike {
  parentElement: { getBoundingClientRect(): Box } | null
  children: Iterable<{ getBoundingClientRect(): Box }>
  getBoundingClientRect(): Box
}
declare const document: { querySelector(selector: string): unknown }
declare function getComputedStyle(el: unknown): { visibility: string; opacity: string }

// The newcomer's path through serve mode in Chromium: welcome → demo project → grid with counts → an image
// with its mask painted in the viewer. Each step leaves a screenshot in test-output/e2e/.
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
    const progress = page.getByRole('progressbar', { name: 'Demo project progress' })
    if (
      await progress.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    ) {
      await screenshot(page, 'app-02a-demo-progress')
    }
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

  it('opens an image in the viewer and paints its mask where the mask is foreground', async () => {
    const page = app.page
    const images = await app.call<ImageSummary[]>('images.list')
    const target = images.find((i) => i.hasMask && i.maskBlob)
    expect(target, 'the demo has an image with a mask').toBeDefined()
    await page.locator(`[data-testid=image-card][data-image-id="${target!.id}"]`).click()
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    await page.waitForFunction(() => window.__s4miViewer?.editable() === true, null, { timeout: 30_000 })
    expect(page.url()).toContain(`#/image/${target!.id}`)

    // The mask PNG decoded independently in Node: class index per pixel.
    const res = await fetch(`${app.url}/blob/${target!.maskBlob}`, { headers: app.headers })
    const { data, info: meta } = await sharp(Buffer.from(await res.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true })
    const W = meta.width
    const H = meta.height
    expect([W, H]).toEqual([target!.width, target!.height])
    const at = (x: number, y: number) => data[(y * W + x) * meta.channels]
    // Pixels whose 5×5 neighbourhood is all one value: inside the mask or clearly outside, whatever the zoom.
    const inside: number[] = []
    const outside: number[] = []
    for (let y = 2; y < H - 2; y += 3)
      for (let x = 2; x < W - 2; x += 3) {
        const k = at(x, y)
        let uniform = true
        for (let dy = -2; dy <= 2 && uniform; dy++)
          for (let dx = -2; dx <= 2 && uniform; dx++) uniform = at(x + dx, y + dy) === k
        if (uniform) (k > 0 ? inside : outside).push(x, y)
      }
    expect(inside.length).toBeGreaterThan(0)

    // What the screen shows at those places. The viewer places mask tile canvases (image pixels) under one CSS
    // transform in its "Mask layer": find the tile whose on-screen box holds each point's screen position and
    // read the pixel there. Tiles arrive one by one, so wait until every inside point is painted.
    type Counts = { inside: { painted: number; total: number }; outside: { painted: number; total: number } }
    const measure = (args: { inside: number[]; outside: number[]; complete: boolean }): Counts | null => {
      const view = window.__s4miViewer?.view()
      const layer = document.querySelector('[aria-label="Mask layer"]') as LayerLike | null
      const stage = document.querySelector('[data-testid=viewer-canvas]') as LayerLike | null
      if (!view || !layer || !stage || !layer.parentElement) return null
      const hidden =
        getComputedStyle(layer).visibility === 'hidden' || Number(getComputedStyle(layer).opacity) === 0
      const origin = layer.parentElement.getBoundingClientRect()
      const box = stage.getBoundingClientRect()
      const tiles = [...layer.children].map((c) => ({
        c: c as unknown as CanvasLike,
        r: c.getBoundingClientRect(),
      }))
      const alpha = (pts: number[]) => {
        let painted = 0
        let total = 0
        for (let i = 0; i < pts.length; i += 2) {
          const cx = origin.left + view.x + (pts[i] + 0.5) * view.scale
          const cy = origin.top + view.y + (pts[i + 1] + 0.5) * view.scale
          if (cx < box.left || cy < box.top || cx >= box.right || cy >= box.bottom) continue
          total++
          const t = tiles.find(({ r }) => cx >= r.left && cx < r.right && cy >= r.top && cy < r.bottom)
          if (!t || hidden) continue
          const px = Math.floor(((cx - t.r.left) / t.r.width) * t.c.width)
          const py = Math.floor(((cy - t.r.top) / t.r.height) * t.c.height)
          if (t.c.getContext('2d').getImageData(px, py, 1, 1).data[3] > 0) painted++
        }
        return { painted, total }
      }
      const inn = alpha(args.inside)
      if (args.complete && (inn.total === 0 || inn.painted < inn.total)) return null
      return { inside: inn, outside: alpha(args.outside) }
    }
    const result = await page
      .waitForFunction(measure, { inside, outside, complete: true }, { timeout: 20_000 })
      .then(
        (h) => h.jsonValue() as Promise<Counts>,
        () => page.evaluate(measure, { inside, outside, complete: false }) as Promise<Counts>,
      )
    await screenshot(page, 'app-03-image-with-mask')
    expect(result.inside.total).toBeGreaterThan(0)
    expect(result.inside.painted).toBe(result.inside.total)
    expect(result.outside.total).toBeGreaterThan(0)
    expect(result.outside.painted).toBe(0)
  })

  it('shows the backend and job counts in the status bar', async () => {
    const status = app.page.getByTestId('status-bar')
    await expect(status.getByTestId('backend-status').innerText()).resolves.toMatch(/Backend:/)
    await expect(status.getByTestId('job-counts').innerText()).resolves.toMatch(/\d+ running · \d+ queued/)
  })
})
