import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { listImages, insertImage } from '../store/images'
import { allImageLabels, setImageLabels } from '../store/labels'
import { commitMaskRevision, maskHead } from '../store/masks'
import { closeProject, createProject, type Project } from '../store/project'
import { loadMaskBlob, putMask } from '../data/maskRaster'
import { COCO_FILE, exportAnnotations, LABELS_FILE } from './annotationExport'
import { importAnnotations } from './annotationImport'
import { countsToString, decodeRle, encodeRle, rleCounts, stringToCounts } from './cocoRle'

describe('COCO RLE', () => {
  it('counts column-major, starting with background, as pycocotools does', () => {
    // 3 wide, 2 high, row-major: [0 1 1 / 1 1 0]; column-major reading: 0,1 | 1,1 | 1,0.
    const m = [0, 1, 1, 1, 1, 0]
    expect(rleCounts(3, 2, (i) => m[i] === 1)).toEqual([1, 4, 1])
    // A mask starting with foreground begins with a zero count.
    expect(rleCounts(2, 1, () => true)).toEqual([0, 2])
  })

  it('writes the compressed string with differences after the second count (hand-computed)', () => {
    expect(countsToString([1, 3])).toBe('13')
    // From the 4th count on (pycocotools: i > 2) a count is stored as its difference to the one two before:
    // 1 - 2 = -1, low five bits 11111 → 31 + 48 = 'O', and the sign bit ends it.
    expect(countsToString([5, 2, 3, 1])).toBe('523O')
    // 100 = 0b11_00100: first char 4|0x20 → 36+48 = 'T', then 3 → '3'.
    expect(countsToString([100])).toBe('T3')
    for (const c of [[0, 7], [5, 2, 3], [100, 1, 40000, 2, 3, 99999], [3]])
      expect(stringToCounts(countsToString(c))).toEqual(c)
  })

  it('decodes back to the same row-major mask and refuses a size mismatch', () => {
    const w = 13
    const h = 7
    const m = Uint8Array.from({ length: w * h }, (_, i) => ((i * 7919) % 11 < 4 ? 1 : 0))
    expect([...decodeRle(encodeRle(w, h, (i) => m[i] === 1))]).toEqual([...m])
    expect([...decodeRle({ size: [2, 2], counts: '13' })]).toEqual([0, 1, 1, 1])
    expect(() => decodeRle({ size: [3, 2], counts: '13' })).toThrow(/covers 4 pixels but its size is 3×2 = 6/)
  })
})

const dirs: string[] = []
const projects: Project[] = []
afterEach(() => {
  for (const p of projects.splice(0)) closeProject(p)
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-export-'))
  dirs.push(d)
  return d
}

async function makeProject(): Promise<Project> {
  const p = createProject(path.join(tempDir(), 'p'), {
    name: 'export test',
    labelMode: 'multi-label',
    classes: [
      { name: 'tumour, invasive', color: '#ff0000' },
      { name: 'stroma', color: '#00ff00' },
    ],
    maskClasses: [{ name: 'tumour' }, { name: 'stroma' }],
  })
  projects.push(p)
  for (const [name, w, h] of [
    ['a.jpg', 9, 5],
    ['b.png', 4, 6],
    ['c.tif', 3, 3],
  ] as const) {
    const png = await sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
    insertImage(p, { blob: p.blobs.put(png), name, width: w, height: h, channels: 3, format: 'png' })
  }
  return p
}

describe('annotation export and re-import', () => {
  it('gives back the same masks and labels through PNG and through COCO', async () => {
    const src = await makeProject()
    const [a, b, c] = listImages(src)
    const maskA = Uint8Array.from({ length: 45 }, (_, i) => [0, 1, 2][((i * 5) % 7) % 3])
    const maskB = Uint8Array.from({ length: 24 }, (_, i) => (i >= 20 ? 2 : 0))
    commitMaskRevision(src, a.id, await putMask(src, { width: 9, height: 5, data: maskA }), 'edit')
    commitMaskRevision(src, b.id, await putMask(src, { width: 4, height: 6, data: maskB }), 'edit')
    setImageLabels(src, a.id, [1, 2])
    setImageLabels(src, b.id, [])
    const out = tempDir()
    const summary = await exportAnnotations(src, out, { maskValues: 'index' })
    expect(summary.masks).toBe(2)
    // a has classes 1 and 2, b only class 2.
    expect(summary.annotations).toBe(3)
    expect(fs.readFileSync(path.join(out, LABELS_FILE), 'utf8')).toBe(
      'image,"tumour, invasive",stroma\na.jpg,1,1\nb.png,0,0\nc.tif,,\n',
    )
    const coco = JSON.parse(fs.readFileSync(path.join(out, COCO_FILE), 'utf8'))
    // The categories are the mask classes (id = pixel value), not the image labels.
    expect(coco.categories).toEqual([
      { id: 1, name: 'tumour', supercategory: 'mask class' },
      { id: 2, name: 'stroma', supercategory: 'mask class' },
    ])
    expect(coco.annotations[2]).toMatchObject({ image_id: b.id, category_id: 2, area: 4, bbox: [0, 5, 4, 1] })

    for (const from of ['png', 'coco'] as const) {
      const dst = await makeProject()
      const [a2, b2, c2] = listImages(dst)
      const r = await importAnnotations(dst, out, { masks: from, labels: true })
      expect(r).toEqual({ masks: 2, labelledImages: 2 })
      expect([...(await loadMaskBlob(dst, maskHead(dst, a2.id)!.blob)).data]).toEqual([...maskA])
      expect([...(await loadMaskBlob(dst, maskHead(dst, b2.id)!.blob)).data]).toEqual([...maskB])
      expect(maskHead(dst, c2.id)).toBeNull()
      expect(allImageLabels(dst)).toEqual(allImageLabels(src))
    }
    expect(c.hasMask).toBe(false)
  })

  it('writes 0/255 PNGs that re-import as class 1, and refuses them for several classes', async () => {
    const src = await makeProject()
    const [a] = listImages(src)
    const mask = Uint8Array.from({ length: 45 }, (_, i) => (i % 4 === 0 ? 1 : 0))
    commitMaskRevision(src, a.id, await putMask(src, { width: 9, height: 5, data: mask }), 'edit')
    const out = tempDir()
    await exportAnnotations(src, out, { maskValues: 'binary' })
    const { data } = await sharp(path.join(out, 'masks', 'a.png'))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect(new Set(data)).toEqual(new Set([0, 255]))
    const dst = await makeProject()
    await importAnnotations(dst, out, { masks: 'png', labels: false })
    expect([...(await loadMaskBlob(dst, maskHead(dst, listImages(dst)[0].id)!.blob)).data]).toEqual([...mask])

    commitMaskRevision(
      src,
      a.id,
      await putMask(src, { width: 9, height: 5, data: mask.map((v) => v * 2) }),
      'edit',
    )
    await expect(exportAnnotations(src, tempDir(), { maskValues: 'binary' })).rejects.toThrow(
      /more than one mask class/,
    )
  })

  it('reads COCO categories by mask class name, whatever ids another tool gave them', async () => {
    const src = await makeProject()
    const [a] = listImages(src)
    const mask = Uint8Array.from({ length: 45 }, (_, i) => i % 3)
    commitMaskRevision(src, a.id, await putMask(src, { width: 9, height: 5, data: mask }), 'edit')
    const out = tempDir()
    await exportAnnotations(src, out, { maskValues: 'index' })
    const file = path.join(out, COCO_FILE)
    const coco = JSON.parse(fs.readFileSync(file, 'utf8'))
    // Another tool numbers stroma 7 and tumour 9.
    const renumber: Record<number, number> = { 1: 9, 2: 7 }
    coco.categories = coco.categories.map((c: { id: number }) => ({ ...c, id: renumber[c.id] }))
    coco.annotations = coco.annotations.map((x: { category_id: number }) => ({
      ...x,
      category_id: renumber[x.category_id],
    }))
    fs.writeFileSync(file, JSON.stringify(coco))
    const dst = await makeProject()
    await importAnnotations(dst, out, { masks: 'coco', labels: false })
    expect([...(await loadMaskBlob(dst, maskHead(dst, listImages(dst)[0].id)!.blob)).data]).toEqual([...mask])
    coco.categories[0].name = 'necrosis'
    fs.writeFileSync(file, JSON.stringify(coco))
    await expect(importAnnotations(dst, out, { masks: 'coco', labels: false })).rejects.toThrow(
      /category "necrosis" is not a mask class of this project \(tumour, stroma\)/,
    )
  })

  it('names the file and line of bad input', async () => {
    const p = await makeProject()
    const d = tempDir()
    fs.writeFileSync(path.join(d, LABELS_FILE), 'image,stroma\na.jpg,yes\n')
    await expect(importAnnotations(p, d, { masks: 'none', labels: true })).rejects.toThrow(
      /labels.csv line 2, column "stroma"/,
    )
    fs.writeFileSync(path.join(d, LABELS_FILE), 'image,necrosis\n')
    await expect(importAnnotations(p, d, { masks: 'none', labels: true })).rejects.toThrow(
      /"necrosis" is not a class/,
    )
    fs.mkdirSync(path.join(d, 'masks'))
    await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toFile(path.join(d, 'masks', 'a.png'))
    await expect(importAnnotations(p, d, { masks: 'png', labels: false })).rejects.toThrow(
      /a.png is 2×2 but image a.jpg is 9×5/,
    )
  })
})

describe('export never overwrites by surprise', () => {
  it('refuses a folder that holds files, and replaces them only when asked', async () => {
    const src = await makeProject()
    const out = tempDir()
    fs.writeFileSync(path.join(out, LABELS_FILE), 'precious,data\n')
    await expect(exportAnnotations(src, out, { maskValues: 'index' })).rejects.toThrow(/already holds files/)
    expect(fs.readFileSync(path.join(out, LABELS_FILE), 'utf8')).toBe('precious,data\n')
    await exportAnnotations(src, out, { maskValues: 'index', overwrite: true })
    expect(fs.readFileSync(path.join(out, LABELS_FILE), 'utf8')).toMatch(/^image,/)
  })

  it('writes a new folder whole, leaving no partial folder beside it', async () => {
    const src = await makeProject()
    const parent = tempDir()
    const out = path.join(parent, 'new-export')
    const summary = await exportAnnotations(src, out, { maskValues: 'index' })
    expect(fs.readdirSync(parent)).toEqual(['new-export'])
    for (const f of summary.files) expect(fs.existsSync(f)).toBe(true)
  })
})
