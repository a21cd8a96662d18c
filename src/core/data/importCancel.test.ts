import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countImages } from '../store/images'
import { closeProject, createProject } from '../store/project'
import { writeFlatPng } from './datasetFixtures'
import { ImportCancelled } from './importError'
import { importImages } from './importImages'

// One flat PNG big enough that its decode and tiling take seconds: above the whole-decode limit it is read
// stripe by stripe, and each stripe of a PNG is decoded from the top. S4MI_IMPORT_CANCEL_FULL=1 uses a
// 16,000² image (minutes to import); the short version a 7,000 × 7,000 one.
const FULL = process.env.S4MI_IMPORT_CANCEL_FULL === '1'
const SIDE = FULL ? 16_000 : 7_000
let dir = ''
let file = ''

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cancel-'))
  file = path.join(dir, 'big.png')
  await writeFlatPng(file, SIDE)
}, 300_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('cancelling an import inside one image', () => {
  it('ends the job within a second of the cancel, mid-decode, and leaves the project as it was', async () => {
    const project = createProject(path.join(dir, 'p'), { name: 'p', labelMode: 'multi-class', classes: [] })
    const blobsBefore = project.blobs.list().length
    const controller = new AbortController()
    const started = Date.now()
    const outcome = importImages(project, [file], { signal: controller.signal }).then(
      () => 'finished',
      (e: unknown) => e,
    )
    // Cancel while the one image is being decoded and tiled (there is no earlier point between images).
    let abortedAt = 0
    setTimeout(() => {
      abortedAt = Date.now()
      controller.abort()
    }, 300)
    const result = await outcome
    const ended = Date.now()
    expect(result).toBeInstanceOf(ImportCancelled)
    expect(abortedAt).toBeGreaterThan(started)
    expect(ended - abortedAt).toBeLessThan(1000)
    expect(countImages(project)).toBe(0)
    expect(project.blobs.list().length).toBe(blobsBefore)
    closeProject(project)
  })
})
