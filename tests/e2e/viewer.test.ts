// The viewer's navigation in real Chromium: fit, 1:1, wheel zoom at the cursor, keyboard pan, minimap,
// cursor coordinates, and the shortcuts sheet against the toolbar's tooltips. Screenshots go to test-output/e2e/.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, startApp, type BrowserApp } from './harness'

interface Probe {
  view(): { scale: number; x: number; y: number } | null
  tilesPending(): number
  firstPaintMs: number | null
}
declare const window: { __s4miViewer?: Probe }

const W = 3000
const H = 2000
let app: BrowserApp
let work: string
let imageId: number

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-viewer-'))
  fs.mkdirSync(path.join(work, 'images'))
  // Quadrants of different colours, so which part is on screen can be checked from the tiles alone.
  const raw = Buffer.alloc(W * H * 3)
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      raw.set(x < W / 2 ? (y < H / 2 ? [200, 40, 40] : [40, 200, 40]) : [40, 40, 200], (y * W + x) * 3)
  await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(path.join(work, 'images', 'big.png'))
  await app.call('project.create', {
    dir: path.join(app.projectsDir, 'viewer'),
    name: 'Viewer E2E',
    labelMode: 'multi-label',
    classes: [{ name: 'tumour', color: '#e53935' }],
    maskClasses: [{ name: 'tumour' }],
  })
  await app.call('import.start', { format: 'folder', path: work })
  for (let i = 0; i < 300; i++) {
    const jobs = await app.call<{ status: string }[]>('jobs.list')
    if (jobs.every((j) => j.status === 'succeeded')) break
    if (jobs.some((j) => j.status === 'failed')) throw new Error('import failed')
    await new Promise((r) => setTimeout(r, 200))
  }
  imageId = (await app.call<{ id: number }[]>('images.list'))[0].id
})

afterAll(async () => {
  await app?.close()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

const view = () => app.page.evaluate(() => window.__s4miViewer!.view()!)
const settled = () =>
  app.page.waitForFunction(
    () => window.__s4miViewer?.view() != null && window.__s4miViewer.tilesPending() === 0,
    null,
    {
      timeout: 20_000,
    },
  )

describe('viewer navigation in Chromium', () => {
  it('opens fitted from the tile pyramid, zooms at the cursor, goes 1:1, pans, and shows coordinates', async () => {
    const { page } = app
    await page.goto(`${app.url}/#/image/${imageId}`)
    await page.getByTestId('image-view').waitFor()
    await settled()
    // Timed on the animation frame after the first tile is drawn, so it may land just after the tiles settle.
    await expect.poll(() => page.evaluate(() => window.__s4miViewer!.firstPaintMs)).not.toBeNull()
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!
    const fit = await view()
    // Fitted: the whole 3000 × 2000 image inside the canvas with the 16 px margin.
    expect(W * fit.scale).toBeLessThanOrEqual(box.width - 32 + 1e-6)
    expect(H * fit.scale).toBeLessThanOrEqual(box.height - 32 + 1e-6)
    expect(Math.max((W * fit.scale) / (box.width - 32), (H * fit.scale) / (box.height - 32))).toBeCloseTo(
      1,
      5,
    )
    await screenshot(page, 'viewer-01-fit')

    // Wheel zoom keeps the image point under the cursor.
    // Whole pixels: pointer events carry integer client coordinates.
    const sx = Math.round(box.x + box.width * 0.3)
    const sy = Math.round(box.y + box.height * 0.4)
    const under = { x: (sx - box.x - fit.x) / fit.scale, y: (sy - box.y - fit.y) / fit.scale }
    await page.mouse.move(sx, sy)
    await page.mouse.wheel(0, -400)
    await page.waitForFunction((s) => window.__s4miViewer!.view()!.scale > s * 1.5, fit.scale)
    const z = await view()
    expect((sx - box.x - z.x) / z.scale).toBeCloseTo(under.x, 3)
    expect((sy - box.y - z.y) / z.scale).toBeCloseTo(under.y, 3)
    await expect
      .poll(async () => page.locator('.viewer-status').textContent())
      .toContain(`x ${Math.floor(under.x)}, y ${Math.floor(under.y)}`)

    await page.keyboard.press('o')
    await page
      .getByTestId('zoom')
      .filter({ hasText: /^100 %$/ })
      .waitFor()
    await settled()
    await screenshot(page, 'viewer-02-one-to-one')
    const one = await view()
    await page.keyboard.press('ArrowRight')
    await expect.poll(async () => (await view()).x).toBeLessThan(one.x)
    // Space held: a drag moves the view by as much, whatever the tool.
    const held = await view()
    await page.keyboard.down('Space')
    await page.mouse.move(sx, sy)
    await page.mouse.down()
    await page.mouse.move(sx + 100, sy + 50, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.up('Space')
    const dragged = await view()
    expect([dragged.x - held.x, dragged.y - held.y, dragged.scale]).toEqual([100, 50, held.scale])
    await page.keyboard.press('f')
    await expect.poll(async () => (await view()).scale).toBeCloseTo(fit.scale, 9)
  })

  it('moves the view with the minimap and lists the shortcuts with ?', async () => {
    const { page } = app
    await page.keyboard.press('o')
    await settled()
    const mini = (await page.getByLabel('Minimap').boundingBox())!
    // Click the minimap's bottom-right corner: the view centres on the blue, lower-right part.
    await page.mouse.click(mini.x + mini.width * 0.9, mini.y + mini.height * 0.9)
    await settled()
    const v = await view()
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!
    expect((box.width / 2 - v.x) / v.scale).toBeCloseTo(W * 0.9, -2)
    expect((box.height / 2 - v.y) / v.scale).toBeCloseTo(H * 0.9, -2)
    const shot = await page.getByTestId('viewer-canvas').screenshot()
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true })
    const centre = ((info.height >> 1) * info.width + (info.width >> 2)) * info.channels
    expect([data[centre], data[centre + 1], data[centre + 2]]).toEqual(
      [40, 40, 200].map((c) => expect.closeTo(c, -1.5)),
    )
    await screenshot(page, 'viewer-03-minimap')
    await page.keyboard.press('?')
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
    expect(await page.getByRole('dialog').textContent()).toContain('Ctrl+Shift+Z')
    await screenshot(page, 'viewer-04-help')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' })
  })

  it('opens with ? a shortcuts sheet listing the keys the toolbar tooltips show', async () => {
    const { page } = app
    // Every button the toolbar and the tools row draw from an action: its name and tooltip.
    const tips = await page
      .locator('.viewer-toolbar [data-action], section[aria-label="Tools"] [data-action]')
      .evaluateAll((els) =>
        els.map((e) => ({ name: e.getAttribute('data-action')!, title: e.getAttribute('title')! })),
      )
    expect(tips.length).toBeGreaterThanOrEqual(15)
    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.waitFor()
    const rows = Object.fromEntries(
      await sheet
        .locator('tr[data-action]')
        .evaluateAll((els) =>
          els.map((e) => [e.getAttribute('data-action')!, e.querySelector('kbd')!.textContent!] as const),
        ),
    )
    let keyed = 0
    for (const t of tips) {
      const keys = /\(([^()]*)\)$/.exec(t.title)?.[1]
      // A button without keys says so by having none in its tooltip, and is not in the sheet.
      expect(rows[t.name], `${t.name}: "${t.title}"`).toBe(keys)
      if (keys) keyed++
    }
    expect(keyed).toBeGreaterThanOrEqual(14)
    expect(tips.find((t) => t.name === 'history.redo')!.title).toBe('Redo (Ctrl+Shift+Z · Ctrl+Y)')
    expect(await page.getByRole('button', { name: '?', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    await screenshot(page, 'viewer-05-shortcuts-sheet')
    // ? again closes it, as Escape does.
    await page.keyboard.press('?')
    await sheet.waitFor({ state: 'detached' })
  })
})
