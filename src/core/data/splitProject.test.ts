import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Subset } from '../../shared/types'
import { insertImage } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { activeSplitId, loadSplit } from '../store/splits'
import { PAPER_SPLIT, randomSplit } from './randomSplit'
import { createOfficialSplit, createRandomSplit, DEFAULT_SPLIT_SEED, ensureSplit } from './splitProject'

let dir: string
let project: Project
let inserted = 0

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-split-project-'))
  inserted = 0
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
})

afterEach(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

function addImages(count: number, official: (i: number) => Subset | null = () => null): number[] {
  return Array.from({ length: count }, (_, i) =>
    insertImage(project, {
      blob: String(inserted++).padStart(64, '0'),
      name: `img${inserted}`,
      width: 1,
      height: 1,
      channels: 3,
      format: 'png',
      officialSplit: official(i),
    }),
  )
}

describe('splits of a project', () => {
  it('saves and activates a seeded random split, named by its ratios and seed', () => {
    const ids = addImages(20)
    const id = createRandomSplit(project, 5, { train: 0.6, val: 0.15, test: 0.25 })
    const split = loadSplit(project, id)
    expect(split).toMatchObject({ name: 'random 60/15/25 seed 5', kind: 'random', seed: 5 })
    expect(split.assignments).toEqual(randomSplit(ids, 5, { train: 0.6, val: 0.15, test: 0.25 }))
    expect(activeSplitId(project)).toBe(id)
    expect(loadSplit(project, createRandomSplit(project, 2)).name).toBe('random 70/10/20 seed 2')
  })

  it('refuses a random split of a project with no images', () => {
    expect(() => createRandomSplit(project, 0)).toThrow('The project has no images to split')
  })

  it("saves the dataset's official split, only when images carry one", () => {
    expect(() => createOfficialSplit(project)).toThrow('No image in this project carries an official split')
    const subsets: Subset[] = ['train', 'val', 'test']
    const ids = addImages(6, (i) => (i === 5 ? null : subsets[i % 3]))
    const id = createOfficialSplit(project)
    const split = loadSplit(project, id)
    expect(split).toMatchObject({ name: 'official', kind: 'official', seed: null })
    expect([...split.assignments]).toEqual(ids.slice(0, 5).map((imageId, i) => [imageId, subsets[i % 3]]))
    expect(activeSplitId(project)).toBe(id)
  })

  it('ensureSplit keeps the active split, else takes the official one, else 70/10/20 with the default seed', () => {
    expect(() => ensureSplit(project)).toThrow('A split needs at least 3 images; this project has 0')
    addImages(2)
    expect(() => ensureSplit(project)).toThrow('A split needs at least 3 images; this project has 2')
    addImages(1)
    const first = ensureSplit(project)
    const split = loadSplit(project, first)
    expect(split).toMatchObject({ kind: 'random', seed: DEFAULT_SPLIT_SEED, name: 'random 70/10/20 seed 0' })
    expect(PAPER_SPLIT).toEqual({ train: 0.7, val: 0.1, test: 0.2 })
    // Asked again, the active split stays.
    expect(ensureSplit(project)).toBe(first)
  })

  it('ensureSplit prefers the official split when the project has no active one', () => {
    addImages(4, (i) => (['train', 'train', 'val', 'test'] as const)[i])
    const id = ensureSplit(project)
    expect(loadSplit(project, id).kind).toBe('official')
    expect(ensureSplit(project)).toBe(id)
  })
})
