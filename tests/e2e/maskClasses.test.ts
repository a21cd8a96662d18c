// Mask classes are not diagnoses, in Chromium through serve mode: on the lesion demo a melanoma image's mask
// is painted and shown as `lesion` (the palette holds mask classes), its diagnosis is a label chip, and the
// COCO export's categories are the mask classes. Screenshots go to test-output/e2e/.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { ImageSummary, ProjectInfo } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

declare const window: { __s4miViewer?: { editable(): boolean; tilesPending(): number } }

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
