// Mask classes are not diagnoses, in Chromium through serve mode: on the lesion demo a melanoma image's mask
// is painted and shown as `lesion` (the palette holds mask classes), its diagnosis is a label chip, and the
// COCO export's categories are the mask classes. Screenshots go to test-output/e2e/.
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { ImageSummary, ProjectInfo } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

declare const window: { __s4miViewer?: { editable(): boolean; tilesPending(): number } }
/** The little of the DOM the page-side checks use (this file compiles without the DOM library). */
interface CanvasLike {
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
  }
}
declare const document: { querySelector(selector: string): CanvasLike | null }

/** Alpha of the mask layer's pixel at image (x, y): the demo images fit one mask tile, at the origin. */
const maskAlpha = (page: Page, x: number, y: number) =>
  page.evaluate(
    ([px, py]) =>
      document.querySelector('[aria-label="Mask layer"] canvas')!.getContext('2d').getImageData(px, py, 1, 1)
        .data[3],
    [x, y],
  )

let app: BrowserApp
let info: ProjectInfo

async function openViewer(page: Page, imageId: number): Promise<void> {
  await page.goto(`${app.url}/#/image/${imageId}`)
  await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
  await page.waitForFunction(
    () => window.__s4miViewer?.editable() === true && window.__s4miViewer.tilesPending() === 0,
    null,
    { timeout: 30_000 },
  )
}

beforeAll(async () => {
  app = await startApp({ width: 1400, height: 900 })
  info = await app.call<ProjectInfo>('demo.create', { variant: 'multi-class', count: 8, seed: 5 })
})

afterAll(async () => {
  await app?.close()
})

describe('mask classes apart from image labels (lesion demo)', () => {
  it('shows a melanoma image’s mask as `lesion`: mask classes in the palette, diagnoses as label chips', async () => {
    expect(info.maskClasses.map((m) => m.name)).toEqual(['lesion'])
    const melanoma = info.classes.find((c) => c.name === 'melanoma')!
    const images = await app.call<ImageSummary[]>('images.list')
    const target = images.find((i) => i.labels.includes(melanoma.id) && i.hasMask)
    expect(target, 'the demo has a melanoma image with a mask').toBeDefined()
    const { page } = app
    await openViewer(page, target!.id)

    const palette = page.getByRole('region', { name: 'Mask classes' })
    const paintButtons = palette.locator('[data-action="mask.paintClass"]')
    await expect(paintButtons.allInnerTexts()).resolves.toEqual([expect.stringContaining('lesion')])
    // The default paint class follows the label: a melanoma shows a lesion.
    await expect(paintButtons.first().getAttribute('aria-pressed')).resolves.toBe('true')
    const chips = page.getByRole('region', { name: 'Image labels' }).locator('[data-action="labels.set"]')
    await expect(chips.allInnerTexts()).resolves.toEqual([
      expect.stringContaining('nevus'),
      expect.stringContaining('melanoma'),
      expect.stringContaining('keratosis'),
    ])
    await expect(chips.filter({ hasText: 'melanoma' }).getAttribute('aria-pressed')).resolves.toBe('true')
    await screenshot(page, 'mask-classes-01-melanoma-lesion')

    // Outline mode: the lesion's border drawn opaque, its inside clear, so the tissue under it shows.
    const res = await fetch(`${app.url}/blob/${target!.maskBlob}`, { headers: app.headers })
    const { data, info: meta } = await sharp(Buffer.from(await res.arrayBuffer()))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true })
    const at = (x: number, y: number) => data[y * meta.width + x]
    let inside: [number, number] | null = null
    let edge: [number, number] | null = null
    for (let y = 3; y < meta.height - 3 && !(inside && edge); y++)
      for (let x = 3; x < meta.width - 3; x++) {
        const around = [-3, -2, -1, 0, 1, 2, 3].flatMap((d) => [at(x + d, y), at(x, y + d)])
        if (!inside && around.every((v) => v === 1)) inside = [x, y]
        if (!edge && at(x, y) === 1 && at(x - 1, y) === 0) edge = [x, y]
      }
    expect(inside && edge).toBeTruthy()
    await expect(maskAlpha(page, ...inside!)).resolves.toBeGreaterThan(0)
    await palette.getByRole('radio', { name: 'Outline', exact: true }).check()
    await page.waitForFunction(
      ([x, y]) =>
        document.querySelector('[aria-label="Mask layer"] canvas')!.getContext('2d').getImageData(x, y, 1, 1)
          .data[3] === 0,
      inside!,
    )
    await expect(maskAlpha(page, ...edge!)).resolves.toBe(255)
    await page
      .getByRole('group', { name: 'Legend' })
      .getByText(/annotation \(outline\)/)
      .waitFor()
    await page.mouse.move(2, 2)
    await screenshot(page, 'mask-classes-02-melanoma-lesion-outline')

    // Per-class visibility and colour.
    await palette.getByRole('checkbox', { name: 'Show lesion' }).uncheck()
    await page.waitForFunction(
      ([x, y]) =>
        document.querySelector('[aria-label="Mask layer"] canvas')!.getContext('2d').getImageData(x, y, 1, 1)
          .data[3] === 0,
      edge!,
    )
    await palette.getByRole('checkbox', { name: 'Show lesion' }).check()
    await palette.getByLabel('Colour of lesion').fill('#ff00aa')
    await expect
      .poll(async () => (await app.call<ProjectInfo>('project.info')).maskClasses[0].color, {
        timeout: 10_000,
      })
      .toBe('#ff00aa')
  })

  it('exports COCO with the mask classes as categories, never a diagnosis', async () => {
    const out = path.join(app.projectsDir, 'coco-export')
    const summary = await app.call<{ masks: number; annotations: number }>('annotations.export', {
      dir: out,
      maskValues: 'index',
    })
    const coco = JSON.parse(fs.readFileSync(path.join(out, 'annotations.coco.json'), 'utf8'))
    expect(coco.categories).toEqual([{ id: 1, name: 'lesion', supercategory: 'mask class' }])
    expect(coco.annotations).toHaveLength(summary.masks)
    expect(coco.annotations.every((a: { category_id: number }) => a.category_id === 1)).toBe(true)
  })
})
