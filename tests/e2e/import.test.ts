import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProjectInfo } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

/** A folder dataset of `n` small images with 0/255 masks and labels; `colourMaskFor` gets an RGB mask instead. */
async function folderDataset(dir: string, n: number, colourMaskFor?: number): Promise<void> {
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'masks'), { recursive: true })
  const rows = ['image,nevus,melanoma']
  for (let i = 1; i <= n; i++) {
    const rgb = Buffer.alloc(64 * 48 * 3, 40 * i)
    await sharp(rgb, { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toFile(path.join(dir, 'images', `s${i}.png`))
    const mask = Buffer.alloc(64 * 48 * (i === colourMaskFor ? 3 : 1), 0)
    if (i === colourMaskFor) for (let p = 0; p < 64 * 48; p++) mask[p * 3] = 200
    else for (let p = 0; p < 64 * 20; p++) mask[p] = 255
    await sharp(mask, { raw: { width: 64, height: 48, channels: i === colourMaskFor ? 3 : 1 } })
      .png()
      .toFile(path.join(dir, 'masks', `s${i}.png`))
    rows.push(`s${i}.png,${i % 2},${1 - (i % 2)}`)
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), rows.join('\n') + '\n')
}

// A new project from the form (with its field errors), then the import dialog: a refused dataset lists each
// bad file and imports nothing; a good one runs with progress and fills the grid.
describe('create a project and import into it from the UI', () => {
  let app: BrowserApp
  let bad: string
  let good: string
  beforeAll(async () => {
    app = await startApp()
    bad = path.join(app.projectsDir, 'bad-dataset')
    good = path.join(app.projectsDir, 'good-dataset')
    await folderDataset(bad, 3, 2)
    await folderDataset(good, 5)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('shows the API field errors beside the form fields, then creates the project', async () => {
    const page = app.page
    await page.getByRole('button', { name: 'New project…' }).click()
    const form = page.getByRole('form', { name: 'Create a project' })
    await form.getByRole('button', { name: 'Create project' }).click()
    await expect(form.locator('[data-field=name]').innerText()).resolves.toBe('name must not be empty')
    await expect(form.locator('[data-field=dir]').innerText()).resolves.toBe('dir must be a folder path')
    await form.getByLabel('Colour of class 1').fill('#336699')
    await screenshot(page, 'import-01-form-errors')

    await form.locator('input[name=name]').fill('Lesions')
    await form.locator('input[name=dir]').fill(path.join(app.projectsDir, 'lesions'))
    await form.getByLabel('Name of class 1').fill('nevus')
    await form.getByLabel('Name of class 2').fill('melanoma')
    await form.getByRole('button', { name: 'Create project' }).click()
    await page.getByRole('heading', { name: 'No images yet' }).waitFor({ timeout: 15_000 })
    const info = await app.call<ProjectInfo>('project.info')
    expect(info.name).toBe('Lesions')
    expect(info.classes.map((c) => [c.name, c.color])).toEqual([
      ['nevus', '#336699'],
      ['melanoma', expect.stringMatching(/^#[0-9a-f]{6}$/)],
    ])
  })

  it('lists every refused file and imports nothing', async () => {
    const page = app.page
    await page.getByRole('button', { name: 'Import images…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await dialog.getByLabel('Advanced: type a path on the server instead').check()
    await dialog.getByLabel('Import path').fill(bad)
    await dialog.getByRole('button', { name: 'Start import' }).click()
    const problems = dialog.locator('.problem-list li')
    await problems.first().waitFor({ timeout: 60_000 })
    const rows = await problems.allInnerTexts()
    expect(rows.some((r) => r.includes('s2.png') && /colour/.test(r))).toBe(true)
    await screenshot(page, 'import-02-refused')
    expect((await app.call<ProjectInfo>('project.info')).counts.images).toBe(0)
  })

  it('imports a good folder with progress and the grid fills', async () => {
    const page = app.page
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await dialog.getByLabel('Import path').fill(good)
    await dialog.getByRole('button', { name: 'Import again' }).click()
    await dialog.locator('.status-chip.status-succeeded').waitFor({ timeout: 60_000 })
    await screenshot(page, 'import-03-succeeded')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByTestId('image-card').nth(4).waitFor({ timeout: 15_000 })
    const info = await app.call<ProjectInfo>('project.info')
    expect(info.counts.images).toBe(5)
    await expect(page.getByTestId('image-card').count()).resolves.toBe(5)
    await expect(page.getByTestId('count-masks').locator('.count-value').innerText()).resolves.toBe('5')
    await screenshot(page, 'import-04-grid')
  })
})
