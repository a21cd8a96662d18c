// Serve mode without typed paths: a folder of PNGs with masks and a labels CSV is uploaded from the
// browser through the folder picker (with upload progress), imported as a job, and fills the grid; a
// relative path that tries to leave the staging folder is refused; the export comes back as a zip download.
import fs from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProjectInfo } from '../../src/shared/types'
import { screenshot, startApp, type BrowserApp } from './harness'

/** The page's storage, read inside page.evaluate (this file is typed for Node). */
declare const localStorage: { getItem(key: string): string | null }

async function lesionFolder(dir: string, n: number): Promise<void> {
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'masks'), { recursive: true })
  const rows = ['image,nevus,melanoma']
  for (let i = 1; i <= n; i++) {
    const rgb = Buffer.alloc(48 * 32 * 3)
    for (let p = 0; p < 48 * 32; p++) rgb.set([120 + 20 * i, 80 + ((p * i) % 50), 90], p * 3)
    await sharp(rgb, { raw: { width: 48, height: 32, channels: 3 } })
      .png()
      .toFile(path.join(dir, 'images', `lesion${i}.png`))
    const mask = Buffer.alloc(48 * 32)
    mask.fill(255, 48 * 8, 48 * 24)
    await sharp(mask, { raw: { width: 48, height: 32, channels: 1 } })
      .png()
      .toFile(path.join(dir, 'masks', `lesion${i}.png`))
    rows.push(`lesion${i}.png,${i % 2},${1 - (i % 2)}`)
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), rows.join('\n') + '\n')
  // A file manager's leftovers are not sent.
  fs.writeFileSync(path.join(dir, '.DS_Store'), 'x')
}

describe('upload a folder from the browser into an import', () => {
  let app: BrowserApp
  let folder: string
  beforeAll(async () => {
    app = await startApp()
    folder = path.join(
      path.dirname(app.projectsDir),
      `${path.basename(app.projectsDir)}-upload`,
      'dermoscopy',
    )
    await lesionFolder(folder, 4)
    await app.call('project.create', {
      dir: path.join(app.projectsDir, 'uploaded'),
      name: 'Uploaded',
      labelMode: 'multi-class',
      classes: [
        { name: 'nevus', color: '#1f77b4' },
        { name: 'melanoma', color: '#d62728' },
      ],
    })
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
    if (folder) fs.rmSync(path.dirname(folder), { recursive: true, force: true })
  })

  it('uploads the folder with progress, imports it and shows the images in the grid', async () => {
    const page = app.page
    // Each file waits a moment on its way, so the upload's progress can be seen (and photographed).
    await page.route('**/upload/**', async (route) => {
      await new Promise((r) => setTimeout(r, 250))
      await route.continue()
    })
    await page.getByRole('button', { name: 'Import images…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await dialog.getByLabel('Choose a folder to upload').setInputFiles(folder)
    await expect(dialog.getByTestId('upload-choice').innerText()).resolves.toMatch(/^9 files from dermoscopy/)
    await screenshot(page, 'upload-01-chosen')
    await dialog.getByRole('button', { name: 'Start import' }).click()
    const progress = dialog.getByTestId('upload-progress')
    await progress.waitFor({ timeout: 15_000 })
    await expect(progress.innerText()).resolves.toMatch(/Uploading \d+ KiB of \d+ KiB \(file \d of 9\)/)
    await screenshot(page, 'upload-02-progress')
    await dialog.locator('.status-chip.status-succeeded').waitFor({ timeout: 60_000 })
    await screenshot(page, 'upload-03-imported')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByTestId('image-card').nth(3).waitFor({ timeout: 15_000 })
    const info = await app.call<ProjectInfo>('project.info')
    expect(info.counts.images).toBe(4)
    await expect(page.getByTestId('count-masks').locator('.count-value').innerText()).resolves.toBe('4')
    await screenshot(page, 'upload-04-grid')
    // The staged files are gone once the import is done.
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads')), { timeout: 5_000 }).toEqual([])
  })

  it('refuses a relative path that leaves the staging folder', async () => {
    const answer = await app.page.evaluate(async () => {
      const key = localStorage.getItem('s4mi.serveKey') ?? ''
      const headers = { 'content-type': 'application/json', 'x-s4mi-token': key }
      const begin = await fetch('/api/upload.begin', { method: 'POST', headers, body: '{}' })
      const { result } = (await begin.json()) as { result: { uploadId: string } }
      const put = await fetch(`/upload/${result.uploadId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'x-s4mi-token': key,
          'x-s4mi-upload-path': encodeURIComponent('../x.png'),
        },
        body: new Uint8Array([1, 2, 3]),
      })
      await fetch('/api/upload.discard', {
        method: 'POST',
        headers,
        body: JSON.stringify({ uploadId: result.uploadId }),
      })
      return { status: put.status, body: (await put.json()) as { error: { message: string } } }
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/leaves its folder/)
    expect(fs.existsSync(path.join(app.dataDir, 'x.png'))).toBe(false)
    expect(fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([])
  })

  it('downloads the export as a zip whose entries are the export’s files', async () => {
    const page = app.page
    const images = await app.call<{ id: number }[]>('images.list')
    await page.goto(`${app.url}/#/image/${images[0].id}`)
    await page.getByTestId('image-view').waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: /Download masks .* as a zip/ }).click(),
    ])
    expect(download.suggestedFilename()).toBe('Uploaded-annotations.zip')
    const saved = path.join(path.dirname(folder), 'downloaded.zip')
    await download.saveAs(saved)
    await page
      .getByRole('status')
      .filter({ hasText: 'Downloaded Uploaded-annotations.zip: 4 masks' })
      .waitFor()
    await screenshot(page, 'upload-05-export-downloaded')
    const entries = unzipSync(fs.readFileSync(saved))

    // The same export written to a folder on the server (the typed-path way) holds the same files.
    const out = path.join(app.projectsDir, 'export-folder')
    const written = await app.call<{ files: string[] }>('annotations.export', { dir: out })
    const relative = written.files.map((f) => path.relative(out, f).split(path.sep).join('/'))
    expect(Object.keys(entries).sort()).toEqual(relative.sort())
    const masks = relative.filter((f) => f.startsWith('masks/'))
    expect(masks).toHaveLength(4)
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(['labels.csv', 'annotations.coco.json']))
    expect(Buffer.from(entries['labels.csv']).toString()).toBe(
      fs.readFileSync(path.join(out, 'labels.csv'), 'utf8'),
    )
    expect(Buffer.from(entries[masks[0]])).toEqual(fs.readFileSync(path.join(out, ...masks[0].split('/'))))
    // Sent once, then removed from the server.
    await expect
      .poll(() => fs.readdirSync(path.join(app.dataDir, 'downloads')), { timeout: 5_000 })
      .toEqual([])
  })
})
