import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFolderDataset } from '../../data/datasetFixtures'
import { importDataset } from '../../data/importDataset'
import { modelInputPixels } from '../../data/modelInput'
import { readRgb } from '../../data/tileImage'
import { listImages } from '../../store/images'
import { closeProject, createProject, type Project } from '../../store/project'
import { saveLabelFraction, saveSplit } from '../../store/splits'
import type { Subset } from '../../../shared/types'
import { loadClassificationData } from './imageLevelInput'
import { averageOverTiles } from './tileAveraging'

let project: Project
let root: string

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-image-level-'))
  // A 40×30 "slide" cut into 16-px tiles (6) with two labels, small images kept whole, one with no label.
  await writeFolderDataset(
    path.join(root, 'dataset'),
    [
      { name: 'slide.png', width: 40, height: 30, labels: [0, 1] },
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) => ({
        name: `${n}.png`,
        width: 10 + i,
        height: 12,
        labels: n === 'c' ? [] : [i % 2],
      })),
    ],
    ['inflammation', 'vessel'],
  )
  project = createProject(path.join(root, 'project'), { name: 't', labelMode: 'multi-label', classes: [] })
  await importDataset(project, { format: 'folder', path: path.join(root, 'dataset') }, { tileSize: 16 })
})

afterAll(() => {
  closeProject(project)
  fs.rmSync(root, { recursive: true, force: true })
})

function splitAndSelect(): { splitId: number; labelFractionId: number } {
  const byName = new Map(listImages(project).map((i) => [path.basename(i.name, '.png'), i.id]))
  const subsets: Record<string, Subset> = {
    slide: 'train',
    a: 'train',
    b: 'train',
    c: 'train',
    d: 'train',
    e: 'val',
    f: 'test',
  }
  const assignments = new Map(Object.entries(subsets).map(([n, s]) => [byName.get(n)!, s]))
  const splitId = saveSplit(project, { name: 'test split', kind: 'random', seed: 1, assignments })
  const labelFractionId = saveLabelFraction(project, {
    splitId,
    mode: 'user',
    fraction: null,
    seed: null,
    imageIds: ['slide', 'a', 'b', 'c'].map((n) => byName.get(n)!),
  })
  return { splitId, labelFractionId }
}

describe('image-level input', () => {
  it('a small image is one sample, the whole image resized; a tiled slide is its tiles, each with its labels', async () => {
    const images = listImages(project)
    const slide = images.find((i) => path.basename(i.name) === 'slide.png')!
    const a = images.find((i) => path.basename(i.name) === 'a.png')!
    expect(slide.tileCount).toBe(6)
    const data = await loadClassificationData(project, { ...splitAndSelect(), size: 8, redChannel: false })
    expect(data.labelKind).toBe('multi-label')
    expect(data.classNames).toEqual(['inflammation', 'vessel'])
    expect(data.labelled.ids.filter((id) => id === slide.id)).toHaveLength(6)
    expect(data.labelled.ids).toHaveLength(9)
    expect(data.unlabelled.ids).toHaveLength(1)
    expect(data.unlabelled.targets).toBeNull()
    const t = data.labelled.targets!
    data.labelled.ids.forEach((id, k) => {
      if (id === slide.id) expect(Array.from(t.subarray(k * 2, k * 2 + 2))).toEqual([1, 1])
    })
    // image c carries no label: a row of zeros, still a labelled sample
    const c = images.find((i) => path.basename(i.name) === 'c.png')!
    const kc = data.labelled.ids.indexOf(c.id)
    expect(Array.from(t.subarray(kc * 2, kc * 2 + 2))).toEqual([0, 0])
    // the whole image, resized: not a tile padded with blank
    const ka = data.labelled.ids.indexOf(a.id)
    const pixels = await data.labelled.read([ka])
    const whole = modelInputPixels(await readRgb(project.blobs.get(a.blob)), 8, false).data
    expect(Buffer.from(pixels).equals(Buffer.from(whole))).toBe(true)
    expect(data.val.ids).toHaveLength(1)
    expect(data.test.ids).toHaveLength(1)
  })

  it('the dataset version is stable and follows the input size', async () => {
    const sel = splitAndSelect()
    const before = (await loadClassificationData(project, { ...sel, size: 8, redChannel: false }))
      .datasetVersion
    const again = (await loadClassificationData(project, { ...sel, size: 8, redChannel: false }))
      .datasetVersion
    const bigger = (await loadClassificationData(project, { ...sel, size: 16, redChannel: false }))
      .datasetVersion
    expect(again).toBe(before)
    // another labelled selection: another dataset version, the same training images
    const other = saveLabelFraction(project, {
      splitId: sel.splitId,
      mode: 'user',
      fraction: null,
      seed: null,
      imageIds: [],
    })
    const fewer = await loadClassificationData(project, {
      splitId: sel.splitId,
      labelFractionId: other,
      size: 8,
      redChannel: false,
    })
    const first = await loadClassificationData(project, { ...sel, size: 8, redChannel: false })
    expect(fewer.datasetVersion).not.toBe(first.datasetVersion)
    expect(fewer.trainImagesVersion).toBe(first.trainImagesVersion)
    expect(bigger).not.toBe(before)
  })
})

describe('averaging tiles back to their image', () => {
  it('an image scores the mean of its tiles; single images keep theirs', () => {
    const r = averageOverTiles(
      [7, 9, 7, 7],
      Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7]),
      2,
      Float32Array.from([1, 0, 0, 1, 1, 0, 1, 0]),
    )
    expect(r.imageIds).toEqual([7, 9])
    expect(Array.from(r.probabilities)).toEqual([0.6, 0.4, 0.2, 0.8].map((v) => expect.closeTo(v, 6)))
    expect(Array.from(r.targets!)).toEqual([1, 0, 0, 1])
  })
})
