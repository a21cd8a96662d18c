import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { listClasses } from '../store/classes'
import { listMaskClasses } from '../store/maskClasses'
import { listImages, listTiles } from '../store/images'
import { labelMode } from '../store/labels'
import { closeProject, getMeta, openProject } from '../store/project'
import { projectCounts } from '../store/projectInfo'
import { activeLabelFraction, loadSplit } from '../store/splits'
import { createDemoProject } from './createDemoProject'
import { planDemoDataset, renderDemoDataset } from './generateDemoDataset'

const dirs: string[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-project-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('createDemoProject', () => {
  it('multi-label: images, slide tiles, classes, labels, masks, a 70/10/20 split and an active selection', async () => {
    const dir = path.join(tmp(), 'demo')
    const opts = { seed: 21, variant: 'multi-label' as const, count: 12, slides: 1 }
    const stages = new Set<string>()
    const demo = await createDemoProject(dir, { ...opts, onProgress: (p) => stages.add(p.stage) })
    closeProject(demo.project)
    expect([...stages]).toEqual(['generate', 'import'])

    const plans = planDemoDataset(opts)
    const p = openProject(dir)
    expect(labelMode(p)).toBe('multi-label')
    expect(getMeta(p, 'name')).toMatch(/Demo/)
    expect(listClasses(p).map((c) => c.name)).toEqual(['inflammation', 'vessel', 'necrosis'])
    // Two vocabularies: the findings are image labels, what a pixel is are mask classes.
    const maskClasses = listMaskClasses(p)
    expect(maskClasses.map((m) => [m.value, m.name])).toEqual([
      [1, 'cell'],
      [2, 'vessel'],
      [3, 'necrosis'],
    ])
    const shows = (label: string) =>
      maskClasses.find((m) => m.id === listClasses(p).find((c) => c.name === label)?.maskClassId)?.name
    expect(['inflammation', 'vessel', 'necrosis'].map(shows)).toEqual(['cell', 'vessel', 'necrosis'])
    expect(projectCounts(p)).toMatchObject({
      images: 12,
      // 11 fields of 469 × 352 are one 480 tile each; the 1876 × 1408 slide is 4 × 3 tiles.
      tiles: 11 + 12,
      classes: 3,
      labels: plans.reduce((a, pl) => a + pl.labels.length, 0),
      labelledImages: 12,
      masks: 12,
      splits: 1,
    })

    const images = listImages(p)
    const classIds = listClasses(p).map((c) => c.id)
    for (const img of images) {
      const plan = plans.find((pl) => `images/${pl.name}.png` === img.name)
      expect(plan, img.name).toBeDefined()
      expect(img.labels).toEqual(plan?.labels.map((c) => classIds[c]))
    }

    const split = loadSplit(p, demo.splitId)
    const subsets = [...split.assignments.values()]
    expect(['train', 'val', 'test'].map((s) => subsets.filter((v) => v === s).length)).toEqual([8, 1, 3])
    const selection = activeLabelFraction(p)
    expect(selection?.id).toBe(demo.labelFractionId)
    expect(selection?.fraction).toBe(0.3)
    expect(selection?.imageIds.length).toBeGreaterThan(0)
    expect(selection?.imageIds.length).toBeLessThan(8)
    for (const id of selection?.imageIds ?? []) expect(split.assignments.get(id)).toBe('train')
    expect(images.filter((i) => i.inTrainingSet).map((i) => i.id)).toEqual(selection?.imageIds)

    // The stored mask is the generated one, as mask class values.
    const [first] = renderDemoDataset(opts)
    const stored = images.find((i) => i.name === `images/${first.plan.name}.png`)
    const { data, info } = await sharp(p.blobs.get(stored?.maskBlob ?? ''))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([first.image.width, first.image.height])
    expect(Buffer.from(data).equals(Buffer.from(first.image.mask))).toBe(true)
    closeProject(p)
  })

  it('multi-class: one label per image, each lesion image resized to one tile', async () => {
    const dir = path.join(tmp(), 'demo')
    const demo = await createDemoProject(dir, { seed: 4, variant: 'multi-class', count: 6 })
    const p = demo.project
    expect(labelMode(p)).toBe('multi-class')
    expect(projectCounts(p)).toMatchObject({
      images: 6,
      tiles: 6,
      classes: 3,
      labels: 6,
      masks: 6,
      splits: 1,
    })
    expect(listImages(p).every((i) => i.labels.length === 1 && i.hasMask)).toBe(true)
    expect(listTiles(p).every((t) => t.tileSize === 480 && t.x === 0 && t.y === 0 && t.maskBlob)).toBe(true)
    expect(demo.trainingImageIds.length).toBeGreaterThan(0)
    // A melanoma's mask is a lesion, not the first diagnosis: one mask class, which every label shows.
    expect(listMaskClasses(p).map((m) => [m.value, m.name])).toEqual([[1, 'lesion']])
    const lesion = listMaskClasses(p)[0].id
    expect(listClasses(p).map((c) => c.maskClassId)).toEqual([lesion, lesion, lesion])
    closeProject(p)
  })

  it('leaves nothing behind when refused or cancelled', async () => {
    const busy = tmp()
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine')
    await expect(createDemoProject(busy, { count: 4 })).rejects.toThrow(/not empty/)
    expect(fs.readdirSync(busy)).toEqual(['notes.txt'])

    const fresh = path.join(tmp(), 'demo')
    await expect(createDemoProject(fresh, { variant: 'binary' as never })).rejects.toThrow(/variant/)
    await expect(createDemoProject(fresh, { labelFraction: 0 })).rejects.toThrow(/labelFraction/)
    expect(fs.existsSync(fresh)).toBe(false)

    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(createDemoProject(fresh, { count: 4, signal: controller.signal })).rejects.toThrow(/stop/)
    expect(fs.existsSync(fresh)).toBe(false)

    const empty = tmp()
    await expect(createDemoProject(empty, { count: 4, signal: controller.signal })).rejects.toThrow(/stop/)
    expect(fs.readdirSync(empty)).toEqual([])
  })
})
