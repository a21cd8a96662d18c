import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { zipFolder } from './zipFolder'

let tmp: string
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-zip-'))
})
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('zipFolder', () => {
  it('holds every file below the folder, byte for byte, under its relative name', () => {
    const dir = path.join(tmp, 'export')
    fs.mkdirSync(path.join(dir, 'masks', 'deeper'), { recursive: true })
    const files: Record<string, Buffer> = {
      'labels.csv': Buffer.from('image,nevus\na.png,1\n'.repeat(50)),
      'masks/a.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
      'masks/deeper/b.png': Buffer.alloc(5000, 7),
      'annotations.coco.json': Buffer.from(JSON.stringify({ images: [], annotations: [] })),
    }
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data)
    const zipFile = path.join(tmp, 'export.zip')
    const names = zipFolder(dir, zipFile)
    expect(names).toEqual(['annotations.coco.json', 'labels.csv', 'masks/a.png', 'masks/deeper/b.png'])
    const unzipped = unzipSync(fs.readFileSync(zipFile))
    expect(Object.keys(unzipped).sort()).toEqual(names)
    for (const [name, data] of Object.entries(files)) expect(Buffer.from(unzipped[name])).toEqual(data)
    // The CSV is deflated, the PNGs stored: the archive is smaller than the text it holds.
    expect(fs.statSync(zipFile).size).toBeLessThan(files['labels.csv'].length + 5000 + 200)
    expect(fs.existsSync(`${zipFile}.partial`)).toBe(false)
  })
})
