// The pathologist's loop in real Chromium through serve mode: open an image, paint, erase, undo, redo,
// reload and find the mask exactly as it was, fill, label with keys, choose the labelled set, export and
// re-import. Screenshots of each step go to test-output/e2e/ for a reviewer.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, startApp, type BrowserApp } from './harness'

interface Probe {
  imageId: number
  maskRect(x: number, y: number, w: number, h: number): number[]
  view(): { scale: number; x: number; y: number } | null
  busy(): boolean
  editable(): boolean
  tilesPending(): number
}
declare const window: { __s4miViewer?: Probe }

const W = 900
const H = 600
let app: BrowserApp
let imageIds: number[] = []
let classIds: number[] = []
let work: string

async function makeImages(dir: string, n: number): Promise<void> {
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true })
  for (let i = 0; i < n; i++) {
    const raw = Buffer.alloc(W * H * 3)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const o = (y * W + x) * 3
        raw[o] = 150 + ((x * 3 + i * 20) % 90)
        raw[o + 1] = 90 + ((y * 2) % 60)
        raw[o + 2] = 160 + (((x + y) >> 3) % 2) * 30
      }
    await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
      .png()
      .toFile(path.join(dir, 'images', `slide-${i + 1}.png`))
  }
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

async function openViewer(page: Page, imageId: number): Promise<void> {
  await page.goto(`${app.url}/#/image/${imageId}`)
  await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
  await page.waitForFunction(
    () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
    null,
    { timeout: 20_000 },
  )
}

/** Screen position of an image pixel. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  const v = (await page.evaluate(() => window.__s4miViewer!.view()))!
  return { x: box.x + v.x + x * v.scale, y: box.y + v.y + y * v.scale }
}

async function stroke(page: Page, pts: [number, number][]): Promise<void> {
  const s0 = await toScreen(page, ...pts[0])
  await page.mouse.move(s0.x, s0.y)
  await page.mouse.down()
  for (const p of pts.slice(1)) {
    const s = await toScreen(page, ...p)
    await page.mouse.move(s.x, s.y, { steps: 12 })
  }
  await page.mouse.up()
}

async function saved(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__s4miViewer?.busy() === false, null, { timeout: 10_000 })
  await page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 10_000 })
}

const maskRow = (page: Page, x: number, y: number, w: number) =>
  page.evaluate(([a, b, c]) => window.__s4miViewer!.maskRect(a, b, c, 1), [x, y, w] as const)
/** The whole mask as the viewer holds it, as one string (deep-comparing 540,000 numbers is slow). */
const maskRegion = (page: Page) =>
  page.evaluate(() => {
    const v = window.__s4miViewer!.maskRect(0, 0, 900, 600)
    return v.length === 900 * 600 ? v.join('') : `wrong length ${v.length}`
  })

/** The stored head mask, read through the API the way any other client would. */
async function storedMask(imageId: number): Promise<string> {
  const tiles: [number, number][] = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ]
  const r = await app.call<{ tiles: (string | null)[] }>('viewer.maskTiles', {
    imageId,
    tileSize: 512,
    tiles,
  })
  const out = new Array<number>(W * H).fill(0)
  tiles.forEach(([tx, ty], i) => {
    const t = r.tiles[i]
    if (!t) return
    const data = Buffer.from(t, 'base64')
    const w = Math.min(512, W - tx * 512)
    const h = Math.min(512, H - ty * 512)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[(ty * 512 + y) * W + tx * 512 + x] = data[y * w + x]
  })
  return out.join('')
}

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-e2e-annotation-'))
  await makeImages(path.join(work, 'dataset'), 6)
  const project = await app.call<{ classes: { id: number }[] }>('project.create', {
    dir: path.join(app.projectsDir, 'annotate'),
    name: 'Annotation E2E',
    labelMode: 'multi-class',
    classes: [
      { name: 'tumour', color: '#e53935' },
      { name: 'stroma', color: '#43a047' },
    ],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  classIds = project.classes.map((c) => c.id)
  await app.call('import.start', { format: 'folder', path: path.join(work, 'dataset') })
  await waitJobs()
  imageIds = (await app.call<{ id: number }[]>('images.list')).map((i) => i.id)
})

afterAll(async () => {
  await app?.close()
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

describe('annotation in Chromium', () => {
  it('paints, erases, undoes, redoes, and finds the mask exactly as it was after a reload', async () => {
    const { page } = app
    await openViewer(page, imageIds[0])
    await screenshot(page, 'annotation-01-opened')
    await page.keyboard.press('b')
    await stroke(page, [
      [100, 100],
      [400, 100],
    ])
    await saved(page)
    // Brush radius 12: the row through the stroke is painted from x = 88 to 411.
    expect(await maskRow(page, 80, 100, 340)).toEqual([
      ...Array(8).fill(0),
      ...Array(324).fill(1),
      ...Array(8).fill(0),
    ])
    // The brush circle stays on the pointer, as wide as the brush at this zoom.
    const tip = await toScreen(page, 400, 100)
    const scale = (await page.evaluate(() => window.__s4miViewer!.view()))!.scale
    const circle = (await page.getByTestId('brush-cursor').boundingBox())!
    expect(Math.abs(circle.x + circle.width / 2 - tip.x)).toBeLessThan(1)
    expect(Math.abs(circle.y + circle.height / 2 - tip.y)).toBeLessThan(1)
    expect(Math.abs(circle.width - 24 * scale)).toBeLessThan(1)
    await screenshot(page, 'annotation-02-stroke')

    await page.keyboard.press('e')
    await stroke(page, [
      [220, 100],
      [280, 100],
    ])
    await saved(page)
    const erased = await maskRow(page, 180, 100, 140)
    expect(erased.slice(0, 20)).toEqual(Array(20).fill(1))
    expect(erased.slice(45, 95)).toEqual(Array(50).fill(0))
    expect(erased.slice(120)).toEqual(Array(20).fill(1))
    await screenshot(page, 'annotation-03-erased')

    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => window.__s4miViewer?.maskRect(250, 100, 1, 1)[0] === 1, null, {
      timeout: 10_000,
    })
    await screenshot(page, 'annotation-04-undo')
    await page.keyboard.press('Control+Shift+Z')
    await page.waitForFunction(() => window.__s4miViewer?.maskRect(250, 100, 1, 1)[0] === 0, null, {
      timeout: 10_000,
    })
    await screenshot(page, 'annotation-05-redo')

    const before = await maskRegion(page)
    expect((await storedMask(imageIds[0])) === before).toBe(true)
    // The pointer leaves the canvas so the brush cursor is not in the picture.
    await page.mouse.move(2, 2)
    const shotBefore = await page.getByTestId('viewer-canvas').screenshot()
    await page.reload()
    await page.getByTestId('image-view').waitFor()
    await page.waitForFunction(
      () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
      null,
      { timeout: 20_000 },
    )
    const after = await maskRegion(page)
    expect(after.length).toBe(W * H)
    expect(after === before).toBe(true)
    // The undo history is stored too: undo after the reload brings the erased part back.
    await page.mouse.move(2, 2)
    const shotAfter = await page.getByTestId('viewer-canvas').screenshot()
    await screenshot(page, 'annotation-06-reloaded')
    // Same mask, same view after the reload: the same pixels on screen.
    expect(shotAfter.equals(shotBefore)).toBe(true)
    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => window.__s4miViewer?.maskRect(250, 100, 1, 1)[0] === 1, null, {
      timeout: 10_000,
    })
    await page.keyboard.press('Control+Shift+Z')
    await page.waitForFunction(() => window.__s4miViewer?.maskRect(250, 100, 1, 1)[0] === 0, null, {
      timeout: 10_000,
    })
  })

  it('fills a closed region with another class', async () => {
    const { page } = app
    await openViewer(page, imageIds[1])
    await page.keyboard.press('b')
    await stroke(page, [
      [500, 200],
      [750, 200],
      [750, 450],
      [500, 450],
      [500, 200],
    ])
    await saved(page)
    await page.keyboard.press('Shift+Digit2')
    await page.keyboard.press('g')
    const inside = await toScreen(page, 620, 320)
    await page.mouse.click(inside.x, inside.y)
    await saved(page)
    expect(await maskRow(page, 520, 320, 1)).toEqual([2])
    expect(await maskRow(page, 730, 320, 1)).toEqual([2])
    expect(await maskRow(page, 500, 320, 1)).toEqual([1])
    expect(await maskRow(page, 300, 320, 1)).toEqual([0])
    expect((await storedMask(imageIds[1]))[320 * W + 620]).toBe('2')
    await screenshot(page, 'annotation-07-fill')
  })

  it('sets image labels with number keys and shows them as badges', async () => {
    const { page } = app
    await openViewer(page, imageIds[2])
    await page.keyboard.press('2')
    const badges = page.locator('.viewer-badges')
    await badges.filter({ hasText: 'stroma' }).waitFor({ timeout: 10_000 })
    expect(await badges.textContent()).not.toContain('tumour')
    expect((await app.call<{ labels: number[] }>('image.get', { id: imageIds[2] })).labels).toEqual([
      classIds[1],
    ])
    await page.keyboard.press('1')
    await badges.filter({ hasText: 'tumour' }).waitFor({ timeout: 10_000 })
    expect(await badges.textContent()).not.toContain('stroma')
    expect((await app.call<{ labels: number[] }>('image.get', { id: imageIds[2] })).labels).toEqual([
      classIds[0],
    ])
    await screenshot(page, 'annotation-08-labels')
    // Next image with N, label it too.
    await page.keyboard.press('n')
    await page.waitForURL(new RegExp(`#/image/${imageIds[3]}$`))
    // The next image is open when its record, not only its route and mask, has arrived: a number key pressed
    // before then would label the image still on screen.
    const next = await app.call<{ name: string }>('image.get', { id: imageIds[3] })
    await page.getByRole('heading', { name: next.name, exact: true }).waitFor({ timeout: 20_000 })
    await page.waitForFunction(
      (id) => window.__s4miViewer?.imageId === id && window.__s4miViewer.editable() === true,
      imageIds[3],
      { timeout: 20_000 },
    )
    await page.keyboard.press('2')
    await badges.filter({ hasText: 'stroma' }).waitFor({ timeout: 10_000 })
    expect((await app.call<{ labels: number[] }>('image.get', { id: imageIds[3] })).labels).toEqual([
      classIds[1],
    ])
  })

  it('chooses the labelled set in the training panel; the grid marks exactly that set', async () => {
    const { page } = app
    for (const [i, id] of imageIds.entries())
      await app.call('labels.set', { imageId: id, classIds: [classIds[i % 2]] })
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    await page
      .getByRole('region', { name: 'Training settings' })
      .getByRole('button', { name: 'classification' })
      .click()
    const choices = page.getByRole('radiogroup', { name: 'Keep the labels of' })
    const full = await app.call<{ imageIds: number[] }>('labelFraction.preview', {
      task: 'classification',
      choice: 1,
      seed: 0,
    })
    await choices.getByLabel(`exactly what I labelled (${full.imageIds.length} image`).check()
    const summary = page.getByTestId('labelled-set-summary')
    await summary.filter({ hasText: `exactly what you labelled: ${full.imageIds.length} image` }).waitFor()
    await choices.getByLabel('50 %').check()
    const half = await app.call<{ imageIds: number[] }>('labelFraction.preview', {
      task: 'classification',
      choice: 0.5,
      seed: 0,
    })
    await summary.filter({ hasText: `50 %, seed 0: ${half.imageIds.length} image` }).waitFor()
    await page.getByText('Which images').click()
    expect(
      await page.getByRole('list', { name: 'Images in the labelled set' }).getByRole('listitem').count(),
    ).toBe(half.imageIds.length)
    const images = await app.call<{ id: number; inTrainingSet: boolean }[]>('images.list')
    expect(images.filter((i) => i.inTrainingSet).map((i) => i.id)).toEqual(half.imageIds)
    await screenshot(page, 'annotation-09-labelled-set')
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Images' }).click()
    await expect
      .poll(() => page.getByText('in training set', { exact: true }).count(), { timeout: 10_000 })
      .toBe(half.imageIds.length)
    await screenshot(page, 'annotation-09b-grid-badges')
  })

  it('exports masks and labels, and re-importing gives them back', async () => {
    const { page } = app
    const out = path.join(app.projectsDir, 'export')
    const mask0 = await storedMask(imageIds[0])
    const mask1 = await storedMask(imageIds[1])
    const labels = (await app.call<{ id: number; labels: number[] }[]>('images.list')).map((i) => i.labels)
    await openViewer(page, imageIds[0])
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    await page.getByLabel('Export folder').fill(out)
    await page.getByRole('button', { name: /Export masks/ }).click()
    await page.getByRole('status').filter({ hasText: 'Exported 2 masks' }).waitFor()
    await screenshot(page, 'annotation-10-export')
    expect(fs.existsSync(path.join(out, 'masks', 'images_slide-1.png'))).toBe(true)
    expect(fs.existsSync(path.join(out, 'annotations.coco.json'))).toBe(true)

    // Change everything, then read the export back (COCO for masks).
    for (const id of imageIds) await app.call('labels.set', { imageId: id, classIds: null })
    await page.keyboard.press('b')
    await stroke(page, [
      [50, 500],
      [800, 500],
    ])
    await saved(page)
    expect((await storedMask(imageIds[0])) === mask0).toBe(false)
    await page.getByLabel('Import masks from').selectOption('coco')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Imported 2 masks and 6 labelled images' }).waitFor()
    expect((await storedMask(imageIds[0])) === mask0).toBe(true)
    expect((await storedMask(imageIds[1])) === mask1).toBe(true)
    expect((await app.call<{ labels: number[] }[]>('images.list')).map((i) => i.labels)).toEqual(labels)
    await openViewer(page, imageIds[0])
    await page.waitForFunction(
      (want) => window.__s4miViewer!.maskRect(0, 0, 900, 600).join('') === want,
      mask0,
      { timeout: 10_000 },
    )
    await screenshot(page, 'annotation-11-reimported')
  })

  it('keeps all but the last second of a stroke when the page crashes mid-stroke', async () => {
    const { page } = app
    await openViewer(page, imageIds[4])
    await page.keyboard.press('b')
    // A slow stroke along y = 300: one image pixel every ~10 ms, pen still down when the renderer dies.
    const start = await toScreen(page, 50, 300)
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    const painted: { x: number; at: number }[] = []
    for (let x = 50; x <= 850; x += 8) {
      const s = await toScreen(page, x, 300)
      await page.mouse.move(s.x, s.y)
      painted.push({ x, at: Date.now() })
      await page.waitForTimeout(60)
    }
    const cdp = await app.context.newCDPSession(page)
    const crashed = new Promise<void>((done) => page.once('crash', () => done()))
    const crashAt = Date.now()
    // The renderer dies without unload handlers or beacons: as if the app were killed.
    void cdp.send('Page.crash').catch(() => undefined)
    await crashed
    // Reopen in a fresh page: what the core has is what a restarted app would show.
    const fresh = await app.context.newPage()
    await openViewer(fresh, imageIds[4])
    const row = await maskRow(fresh, 0, 300, W)
    const secondBefore = painted.filter((p) => p.at <= crashAt - 1000)
    expect(secondBefore.length).toBeGreaterThan(10)
    for (const p of secondBefore) expect(row[p.x]).toBe(1)
    // Nothing that was never painted appears.
    expect(row.slice(0, 30).every((v) => v === 0)).toBe(true)
    await screenshot(fresh, 'annotation-12-after-crash')
    app.page = fresh
  })
})
