import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../../demo/createDemoProject'
import { listImages } from '../../store/images'
import { closeProject } from '../../store/project'
import { loadSplit } from '../../store/splits'
import { loadSegmentationData, preprocessImage, preprocessMask } from './dataset'
import { checkSegmentationData } from './segmentationData'

let demo: DemoProject
let slides: DemoProject
const dirs: string[] = []
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-segdata-'))
  dirs.push(d)
  return path.join(d, 'project')
}

beforeAll(async () => {
  demo = await createDemoProject(tmp(), { count: 20, seed: 7, labelFraction: 0.5 })
  slides = await createDemoProject(tmp(), {
    variant: 'multi-label',
    count: 12,
    slides: 1,
    seed: 3,
    labelFraction: 1,
  })
})

afterAll(() => {
  closeProject(demo.project)
  closeProject(slides.project)
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('preprocessing', () => {
  it("normalises with ImageNet statistics and keeps the masks' class values", () => {
    const raw = { data: new Uint8Array([255, 0, 128, 0, 255, 128]), width: 2, height: 1, channels: 3 }
    const x = preprocessImage(raw, 2, false).slice(0, 3)
    expect(x[0]).toBeCloseTo((1 - 0.485) / 0.229, 5)
    expect(x[1]).toBeCloseTo((0 - 0.456) / 0.224, 5)
    // Red-channel normalisation: R' = 255·R/(R+G+B) = 255·255/383 → 170
    const r = preprocessImage(raw, 2, true)[0]
    expect(r).toBeCloseTo((170 / 255 - 0.485) / 0.229, 5)
    expect(
      Array.from(preprocessMask({ data: new Uint8Array([0, 2, 1, 0]), width: 2, height: 2, channels: 1 }, 2)),
    ).toEqual([0, 2, 1, 0])
  })
})

describe('loadSegmentationData', () => {
  it('follows the split and the labelled selection, and keeps masks off the unlabelled images', async () => {
    const { project, splitId, labelFractionId, trainingImageIds } = demo
    const data = await loadSegmentationData(project, {
      splitId,
      labelFractionId,
      size: 32,
      redChannel: false,
    })
    checkSegmentationData(data)
    const split = loadSplit(project, splitId)
    expect([...data.labelled.ids].sort()).toEqual([...trainingImageIds].sort())
    expect(data.unlabelled.hasMasks).toBe(false)
    expect((await data.unlabelled.read([0])).masks).toBeNull()
    for (const id of data.unlabelled.ids) {
      expect(trainingImageIds).not.toContain(id)
      expect(split.assignments.get(id)).toBe('train')
    }
    for (const id of data.test.ids) expect(split.assignments.get(id)).toBe('test')
    const trainCount = [...split.assignments.values()].filter((s) => s === 'train').length
    expect(data.labelled.ids.length + data.unlabelled.ids.length).toBe(trainCount)
    const all = [...Array(data.labelled.ids.length).keys()]
    expect((await data.labelled.read(all)).images.length).toBe(data.labelled.ids.length * 32 * 32 * 3)
    // Lesion masks: some foreground, some background, only 0/1.
    const masks = (await data.test.read([...Array(data.test.ids.length).keys()])).masks!
    const fg = masks.reduce((a, v) => a + v, 0)
    expect(fg).toBeGreaterThan(0)
    expect(fg).toBeLessThan(masks.length)
    expect(Math.max(...masks)).toBe(1)
  })
  it('uses the tiles of a tiled slide, with the matching crop of its mask', async () => {
    const { project, splitId, labelFractionId } = slides
    const data = await loadSegmentationData(project, {
      splitId,
      labelFractionId,
      size: 32,
      redChannel: false,
    })
    const slide = listImages(project).find((i) => i.tileCount > 1)!
    const inSet = [data.sources.labelled, data.sources.unlabelled, data.sources.val, data.sources.test].flat()
    const tiles = inSet.filter((s) => s.imageId === slide.id)
    expect(tiles.length).toBe(slide.tileCount)
    expect(tiles.every((t) => t.tile !== null && t.tile.tileSize === 480)).toBe(true)
  })
  it('refuses a labelled image without a mask, naming it', async () => {
    const { project, splitId } = demo
    const img = listImages(project).find(
      (i) => loadSplit(project, splitId).assignments.get(i.id) === 'train',
    )!
    project.db.prepare('DELETE FROM masks WHERE image_id = ?').run(img.id)
    const { saveLabelFraction } = await import('../../store/splits')
    const lf = saveLabelFraction(
      project,
      { splitId, task: 'segmentation', mode: 'user', fraction: null, seed: null, imageIds: [img.id] },
      'test',
      false,
    )
    await expect(
      loadSegmentationData(project, { splitId, labelFractionId: lf, size: 32, redChannel: false }),
    ).rejects.toThrow(
      new RegExp(`Image ${img.name} \\(id ${img.id}\\) is in the labelled set but has no mask`),
    )
  })
})
