import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { listClasses } from '../store/classes'
import { listImages, listTiles } from '../store/images'
import { labelMode } from '../store/labels'
import { maskHead } from '../store/masks'
import { closeProject, createProject, type Project } from '../store/project'
import { noiseRgb, writeFolderDataset } from './datasetFixtures'
import { importDataset } from './importDataset'

const dirs: string[] = []
const projects: Project[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-folder-'))
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

describe('folder import', () => {
  it('imports images, masks as class indices, multi-labels, and padded tiles that remember their place', async () => {
    const root = tmp()
    await writeFolderDataset(
      root,
      [
        { name: 'a.png', width: 40, height: 30, labels: [0, 2], mask: true },
        { name: 'b.jpg', width: 16, height: 16, labels: [1] },
        { name: 'c.tif', width: 20, height: 10, labels: [] },
      ],
      ['Vessel', 'Muscle', 'Skin'],
    )
    const project = newProject()
    const progress: number[] = []
    const s = await importDataset(
      project,
      { format: 'folder', path: root },
      { tileSize: 16, onProgress: (d) => progress.push(d) },
    )
    expect(s).toMatchObject({ images: 3, masks: 1, labelled: 3, classesAdded: ['Vessel', 'Muscle', 'Skin'] })
    expect(progress.sort()).toEqual([1, 2, 3])
    expect(labelMode(project)).toBe('multi-label')
    const classes = listClasses(project).map((c) => c.id)
    const imgs = listImages(project)
    expect(imgs.map((i) => [i.name, i.width, i.height, i.format, i.labels])).toEqual([
      ['images/a.png', 40, 30, 'png', [classes[0], classes[2]]],
      ['images/b.jpg', 16, 16, 'jpeg', [classes[1]]],
      ['images/c.tif', 20, 10, 'tiff', []],
    ])
    expect(imgs.map((i) => i.tileCount)).toEqual([3 * 2, 1, 2])
    // The original file is stored untouched.
    expect(project.blobs.get(imgs[1].blob)).toEqual(fs.readFileSync(path.join(root, 'images/b.jpg')))

    const tiles = listTiles(project, imgs[0].id)
    expect(tiles.map((t) => [t.x, t.y, t.width, t.height])).toEqual([
      [0, 0, 16, 16],
      [16, 0, 16, 16],
      [32, 0, 8, 16],
      [0, 16, 16, 14],
      [16, 16, 16, 14],
      [32, 16, 8, 14],
    ])
    // Tile (32,16): source pixels in its 8 × 14 corner, blank padding elsewhere.
    const src = noiseRgb({ width: 40, height: 30, seed: 1 })
    const tile = await sharp(project.blobs.get(tiles[5].blob)).raw().toBuffer()
    const px = (buf: Buffer, w: number, x: number, y: number) => [
      ...buf.subarray((y * w + x) * 3, (y * w + x) * 3 + 3),
    ]
    expect(px(tile, 16, 3, 5)).toEqual(px(src, 40, 35, 21))
    expect(px(tile, 16, 8, 5)).toEqual([0, 0, 0])
    expect(px(tile, 16, 3, 14)).toEqual([0, 0, 0])

    // The 0/255 mask is stored as 0/1 class indices, whole and per tile.
    const head = maskHead(project, imgs[0].id)
    expect(head?.kind).toBe('import')
    const mask = await sharp(project.blobs.get(head!.blob))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect((await sharp(project.blobs.get(head!.blob)).metadata()).channels).toBe(1)
    expect(new Set(mask.data)).toEqual(new Set([0, 1]))
    expect(mask.data[15 * 40 + 20]).toBe(1)
    expect(mask.data[0]).toBe(0)
    const tileMask = await sharp(project.blobs.get(tiles[0].maskBlob!)).extractChannel(0).raw().toBuffer()
    expect(tileMask[10 * 16 + 10]).toBe(1)
    expect(tileMask[0]).toBe(0)
    expect(listTiles(project, imgs[1].id)[0].maskBlob).toBeNull()
  })

  it('imports a folder without labels.csv or masks as unlabelled images', async () => {
    const root = tmp()
    await writeFolderDataset(root, [{ name: 'x.png', width: 8, height: 8 }], [])
    const project = newProject()
    const s = await importDataset(project, { format: 'folder', path: root }, { tileSize: 8 })
    expect(s).toMatchObject({ images: 1, tiles: 1, masks: 0, labelled: 0 })
    expect(listImages(project)[0].labelled).toBe(false)
  })

  it('keeps a single-label CSV multi-class', async () => {
    const root = tmp()
    await writeFolderDataset(root, [{ name: 'x.png', width: 8, height: 8, labels: [1] }], ['a', 'b'])
    const project = newProject()
    await importDataset(project, { format: 'folder', path: root }, { tileSize: 8 })
    expect(labelMode(project)).toBe('multi-class')
  })
})
