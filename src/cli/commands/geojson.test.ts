import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadMaskBlob, putMask } from '../../core/data/maskRaster'
import { insertImage } from '../../core/store/images'
import { commitMaskRevision, maskHead } from '../../core/store/masks'
import { closeProject, createProject, openProject } from '../../core/store/project'
import { runCli } from '../main'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('s4mi export / import --format geojson', () => {
  it('writes a QuPath GeoJSON file per image and reads it back as a new mask revision', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-geojson-'))
    dirs.push(dir)
    const p = createProject(path.join(dir, 'p'), {
      name: 'g',
      labelMode: 'multi-class',
      classes: [],
      maskClasses: [{ name: 'Tumor' }, { name: 'Stroma' }],
    })
    const png = await sharp({ create: { width: 9, height: 7, channels: 3, background: '#eee' } })
      .png()
      .toBuffer()
    const id = insertImage(p, {
      blob: p.blobs.put(png),
      name: 'a.png',
      width: 9,
      height: 7,
      channels: 3,
      format: 'png',
    })
    const mask = Uint8Array.from({ length: 63 }, (_, i) =>
      (i * 7) % 5 === 0 ? 1 : (i * 3) % 4 === 0 ? 2 : 0,
    )
    commitMaskRevision(p, id, await putMask(p, { width: 9, height: 7, data: mask }), 'edit')
    closeProject(p)

    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
    const run = (...args: string[]) => runCli(['node', 's4mi', ...args, '--json'])
    expect(await run('export', path.join(dir, 'p'), path.join(dir, 'out'), '--format', 'geojson')).toBe(0)
    expect(JSON.parse(out.pop()!)).toMatchObject({ images: 1, features: 2 })
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['a.geojson'])
    expect(await run('import', '--format', 'geojson', path.join(dir, 'out'), path.join(dir, 'p'))).toBe(0)
    expect(JSON.parse(out.pop()!)).toMatchObject({ masks: 1, features: 2, skipped: [] })
    const again = openProject(path.join(dir, 'p'))
    const head = maskHead(again, id)!
    expect(head.kind).toBe('import')
    expect((await loadMaskBlob(again, head.blob)).data).toEqual(mask)
    closeProject(again)
  })
})
