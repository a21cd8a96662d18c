import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importImages } from '../data/importImages'
import { writeHalfGlassSlide } from '../data/fixtures/halfGlassSlide'
import { listImages } from '../store/images'
import { createProject } from '../store/project'
import type { Session } from './session'
import { tissueHandlers } from './tissueHandlers'
import { testSession } from './fixtures/testSession'

let dir: string
let session: Session

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-tissue-layer-'))
  const p = createProject(path.join(dir, 'p'), { name: 'tissue', labelMode: 'multi-class', classes: [] })
  await importImages(p, [await writeHalfGlassSlide(dir, 960, 480)], { tileSize: 240 })
  session = testSession(dir, p)
})
afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the tissue layer the viewer shows', () => {
  it('tints tissue, leaves glass clear, and says how many tiles were used and skipped', async () => {
    const [img] = listImages(session.requireProject())
    const t = (await tissueHandlers(session)['viewer.tissue']({ imageId: img.id }))!
    expect([t.width, t.height, t.tilesUsed, t.tilesSkipped]).toEqual([960, 480, 4, 4])
    const rgba = Buffer.from(t.layer, 'base64')
    expect(rgba.length).toBe(960 * 480 * 4)
    const alpha = (x: number, y: number) => rgba[(y * 960 + x) * 4 + 3]
    expect([alpha(10, 10), alpha(470, 400), alpha(490, 10), alpha(950, 470)]).toEqual([128, 128, 0, 0])
  })
})
