import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { holdsAnyClass } from '../store/maskManifest'
import { maskPngPixels } from '../store/maskPngSync'
import { createProject, type Project } from '../store/project'
import { decodeMaskPng, encodeMaskPng, putMask } from './maskRaster'
import { MASK_TILE, openStoredMask, TiledMaskWriter, usesTiledMask } from './tiledMask'

let dir: string
let project: Project
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-tiled-mask-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Deterministic patches of classes 0–3, some across tile borders, some erasing. */
function patches(width: number, height: number, n: number) {
  let s = 7
  const rnd = (k: number) => {
    s = (s * 1103515245 + 12345) >>> 0
    return (s >>> 8) % k
  }
  return Array.from({ length: n }, () => {
    const w = 1 + rnd(700)
    const h = 1 + rnd(500)
    const x = rnd(width - w)
    const y = rnd(height - h)
    const data = new Uint8Array(w * h)
    const c = rnd(4)
    for (let i = 0; i < data.length; i++) data[i] = (i + c) % 5 === 0 ? 0 : c
    return { x, y, width: w, height: h, data }
  })
}

describe('tiled masks of whole slides', () => {
  it('reads back every rectangle as a whole raster given the same writes would hold it', async () => {
    const W = 2 * MASK_TILE + 333
    const H = MASK_TILE + 77
    const ref = new Uint8Array(W * H)
    const writer = new TiledMaskWriter(project, W, H)
    for (const p of patches(W, H, 40)) {
      await writer.write(p)
      for (let r = 0; r < p.height; r++)
        ref.set(p.data.subarray(r * p.width, (r + 1) * p.width), (p.y + r) * W + p.x)
    }
    const blob = await writer.finish()
    expect(project.blobs.get(blob).length).toBeLessThan(2000) // a manifest, not pixels
    const mask = await openStoredMask(project, blob)
    expect([mask.width, mask.height, mask.tiled]).toEqual([W, H, true])
    for (const [x, y, w, h] of [
      [0, 0, W, H],
      [MASK_TILE - 5, MASK_TILE - 3, 10, 6],
      [W - 40, H - 30, 40, 30],
      [1400, 20, 900, 900],
    ]) {
      const got = (await mask.region(x, y, w, h)) ?? new Uint8Array(w * h)
      const want = new Uint8Array(w * h)
      for (let r = 0; r < h; r++) want.set(ref.subarray((y + r) * W + x, (y + r) * W + x + w), r * w)
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true)
    }
    await expect(mask.region(W - 1, 0, 2, 1)).rejects.toThrow(/outside/)
  })

  it('rewrites only touched tiles, drops tiles erased to background, and carries a whole-PNG mask over', async () => {
    const W = 3 * MASK_TILE
    const H = 2 * MASK_TILE
    const a = new TiledMaskWriter(project, W, H)
    await a.write({ x: 10, y: 10, width: 2, height: 2, data: Uint8Array.of(1, 1, 1, 1) })
    await a.write({ x: 2 * MASK_TILE + 5, y: MASK_TILE + 5, width: 1, height: 1, data: Uint8Array.of(2) })
    const first = await a.finish()
    const m1 = JSON.parse(project.blobs.get(first).toString()) as { tiles: Record<string, string> }
    expect(Object.keys(m1.tiles)).toEqual(['0,0', '2,1'])
    const b = await TiledMaskWriter.from(project, first, { width: W, height: H })
    await b.write({ x: 10, y: 10, width: 2, height: 2, data: new Uint8Array(4) })
    const m2 = JSON.parse(project.blobs.get(await b.finish()).toString()) as { tiles: Record<string, string> }
    expect(m2.tiles).toEqual({ '2,1': m1.tiles['2,1'] })
    // A revision stored as one PNG (made before the image counted as a slide) becomes tiles.
    const png = await putMask(project, { width: W, height: H, data: new Uint8Array(W * H).fill(3, 0, 5) })
    const c = await TiledMaskWriter.from(project, png, { width: W, height: H })
    const carried = await openStoredMask(project, await c.finish())
    expect([...((await carried.region(0, 0, 6, 1)) ?? [])]).toEqual([3, 3, 3, 3, 3, 0])
    expect(usesTiledMask({ width: 50_000, height: 50_000 })).toBe(true)
    expect(usesTiledMask({ width: 8000, height: 8000 })).toBe(false)
  })
})

describe('what a saved tile is checked and stored with', () => {
  it('holdsAnyClass finds one classed pixel wherever it is, at any offset and length', () => {
    const buffer = new Uint8Array(64)
    for (let offset = 0; offset < 5; offset++)
      for (let length = 0; length <= 23; length++) {
        const view = buffer.subarray(offset, offset + length)
        expect(holdsAnyClass(view), `all background, offset ${offset}, length ${length}`).toBe(false)
        for (let at = 0; at < length; at++) {
          view[at] = 3
          expect(holdsAnyClass(view), `class at ${at}, offset ${offset}, length ${length}`).toBe(true)
          view[at] = 0
        }
        // A class just outside the view is not the view's.
        buffer[offset + length] = 1
        if (offset > 0) buffer[offset - 1] = 1
        expect(holdsAnyClass(view), `neighbours only, offset ${offset}, length ${length}`).toBe(false)
        buffer.fill(0)
      }
  })

  it('encodeMaskPng writes a grey PNG that sharp and the synchronous reader give back exactly', async () => {
    const width = 1027
    const height = 61
    const data = new Uint8Array(width * height)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 11 === 0 ? 255 : (i >> 9) % 4
    const png = await encodeMaskPng({ width, height, data })
    const back = await decodeMaskPng(png, 'round trip')
    expect([back.width, back.height]).toEqual([width, height])
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true)
    expect(Buffer.from(maskPngPixels(png).data).equals(Buffer.from(data))).toBe(true)
    const info = await sharp(png).metadata()
    expect([info.format, info.channels, info.depth]).toEqual(['png', 1, 'uchar'])
  })
})
