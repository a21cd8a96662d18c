import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { listClasses } from '../store/classes'
import { listImages, listTiles } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { activeSplitId, loadSplit } from '../store/splits'
import { writeDermofit, writeIsic2017 } from './datasetFixtures'
import { importDataset } from './importDataset'
import { ImportError } from './importError'

const dirs: string[] = []
const projects: Project[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-ds-'))
  dirs.push(d)
  return d
}
function newProject(): Project {
  const p = createProject(path.join(tmp(), 'proj'), { name: 't', labelMode: 'multi-class', classes: [] })
  projects.push(p)
  return p
}
afterEach(() => {
  for (const p of projects.splice(0)) closeProject(p)
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('ISIC-2017 import', () => {
  it('reads the challenge layout, skips superpixels and metadata, maps Part 3 to three classes and keeps the official split', async () => {
    const root = tmp()
    await writeIsic2017(root, [6, 2, 3])
    const project = newProject()
    const s = await importDataset(project, { format: 'isic2017', path: root })
    expect(s).toMatchObject({ images: 11, masks: 11, labelled: 11, tiles: 11 })
    expect(listClasses(project).map((c) => c.name)).toEqual(['melanoma', 'seborrheic_keratosis', 'nevus'])
    const imgs = listImages(project)
    expect(imgs.some((i) => i.name.includes('superpixels'))).toBe(false)
    const nameOf = new Map(listClasses(project).map((c) => [c.id, c.name]))
    // Fixture n: melanoma when n % 3 == 0, seborrheic keratosis when n % 3 == 1, else nevus (both 0).
    imgs.forEach((img, n) => {
      expect(img.name).toMatch(/ISIC_\d{7}\.jpg$/)
      expect(img.labels.map((id) => nameOf.get(id))).toEqual([
        ['melanoma', 'seborrheic_keratosis', 'nevus'][n % 3],
      ])
    })
    expect(imgs.map((i) => i.officialSplit)).toEqual([
      ...Array(6).fill('train'),
      'val',
      'val',
      'test',
      'test',
      'test',
    ])
    const split = loadSplit(project, activeSplitId(project)!)
    expect(split.kind).toBe('official')
    expect([...split.assignments.values()].filter((v) => v === 'test')).toHaveLength(3)
    // Lesion preprocessing: the whole image resized to one 480 × 480 tile that covers the source.
    const [tile] = listTiles(project, imgs[0].id)
    expect([tile.x, tile.y, tile.width, tile.height, tile.tileSize]).toEqual([0, 0, 32, 24, 480])
    const meta = await sharp(project.blobs.get(tile.blob)).metadata()
    expect([meta.width, meta.height]).toEqual([480, 480])
    const mask = await sharp(project.blobs.get(tile.maskBlob!)).extractChannel(0).raw().toBuffer()
    expect(new Set(mask)).toEqual(new Set([0, 1]))
    expect(mask[240 * 480 + 240]).toBe(1)
  })

  it('refuses rows naming missing images, images missing from the CSV, bad values and stray masks', async () => {
    const root = tmp()
    await writeIsic2017(root, [3, 0, 0])
    const csv = path.join(root, 'ISIC-2017_Training_Part3_GroundTruth.csv')
    fs.writeFileSync(
      csv,
      'image_id,melanoma,seborrheic_keratosis\nISIC_0000000,1.0,0.0\nISIC_0000001,1,1\nISIC_9999999,0,0\n',
    )
    fs.copyFileSync(
      path.join(root, 'ISIC-2017_Training_Part1_GroundTruth/ISIC_0000000_segmentation.png'),
      path.join(root, 'ISIC-2017_Training_Part1_GroundTruth/ISIC_0000077_segmentation.png'),
    )
    const project = newProject()
    const err = await importDataset(project, { format: 'isic2017', path: root }).catch((e) => e)
    expect(err).toBeInstanceOf(ImportError)
    const problems = (err as ImportError).problems.map((p) => `${p.file}: ${p.problem}`)
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Part3_GroundTruth.csv row 3: is both melanoma and seborrheic/),
        expect.stringMatching(/row 4: names "ISIC_9999999", which is not in/),
        expect.stringMatching(/ISIC_0000002.jpg: is missing from ISIC-2017_Training_Part3/),
        expect.stringMatching(/ISIC_0000077_segmentation.png: mask has no image/),
      ]),
    )
    expect(listImages(project)).toHaveLength(0)
  })

  it('says so when the folder is not ISIC-2017 at all', async () => {
    const project = newProject()
    await expect(importDataset(project, { format: 'isic2017', path: tmp() })).rejects.toThrow(/no ISIC-2017_/)
  })
})

describe('Dermofit import', () => {
  it('reads class folders of lesion folders, image + …mask.png, with SEB as SK', async () => {
    const root = tmp()
    await writeDermofit(root, [
      { cls: 'AK', id: 'A34' },
      { cls: 'MEL', id: 'M1' },
      { cls: 'SEB', id: 'S7' },
      { cls: 'VASC', id: 'V2' },
    ])
    fs.writeFileSync(path.join(root, 'README.txt'), 'notes beside the classes are ignored')
    const project = newProject()
    const s = await importDataset(project, { format: 'dermofit', path: root })
    expect(s).toMatchObject({ images: 4, masks: 4, labelled: 4 })
    expect(listClasses(project).map((c) => c.name)).toEqual([
      'AK',
      'BCC',
      'DF',
      'IEC',
      'MEL',
      'ML',
      'PYO',
      'SCC',
      'SK',
      'VASC',
    ])
    const nameOf = new Map(listClasses(project).map((c) => [c.id, c.name]))
    expect(listImages(project).map((i) => [i.name, nameOf.get(i.labels[0])])).toEqual([
      ['AK/A34/A34.png', 'AK'],
      ['MEL/M1/M1.png', 'MEL'],
      ['SEB/S7/S7.png', 'SK'],
      ['VASC/V2/V2.png', 'VASC'],
    ])
    expect(listImages(project).every((i) => i.hasMask && i.officialSplit === null)).toBe(true)
  })

  it('refuses unknown class folders and lesion folders without exactly one image and one mask', async () => {
    const root = tmp()
    await writeDermofit(root, [{ cls: 'BCC', id: 'B1' }])
    fs.mkdirSync(path.join(root, 'XYZ'))
    fs.rmSync(path.join(root, 'BCC/B1/B1mask.png'))
    const project = newProject()
    const err = (await importDataset(project, { format: 'dermofit', path: root }).catch(
      (e) => e,
    )) as ImportError
    expect(err.problems.map((p) => p.file)).toEqual(['BCC/B1/', 'XYZ'])
    expect(err.message).toMatch(/found 1 image\(s\), 0 mask\(s\)/)
  })
})
