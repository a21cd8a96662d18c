import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../engine/trainState'
import type { PretrainKey } from '../methods/method'
import { memoryBackbones, pretrainOnce } from '../methods/classification/pretrainedBackbone'
import { referencedBlobs } from '../store/blobGarbage'
import { closeProject, createProject, openProject, type Project } from '../store/project'
import { listPretrainedBackbones } from '../store/pretrainedBackbones'
import { projectBackbones } from './projectBackbones'

let dir: string
let project: Project

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-backbones-'))
  project = createProject(path.join(dir, 'p'), { name: 't', labelMode: 'multi-class', classes: [] })
})

afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const key = (over: Partial<PretrainKey> = {}): PretrainKey => ({
  method: 'dino',
  backbone: 'resnet_tiny',
  preset: 'quick',
  seed: 0,
  datasetVersion: 'images-v1',
  settings: { epochs: 3, teacherTemperature: 0.04 },
  ...over,
})

const weights = (v: number): TrainState => ({ 'conv1.weight': { shape: [2], values: Float32Array.of(v, v) } })

/** A fake pretraining: E epochs, each adds 1 to the weights, checkpointing each epoch; optionally killed. */
function pretraining(epochs: number, calls: number[], killAfter?: number) {
  return async (hooks: Parameters<Parameters<typeof pretrainOnce>[2]>[0]) => {
    const resumed = await hooks?.restore()
    let state = resumed?.state ?? weights(0)
    for (let e = resumed?.epoch ?? 0; e < epochs; e++) {
      calls.push(e + 1)
      state = weights(state['conv1.weight'].values[0] + 1)
      await hooks?.save(e + 1, state)
      if (killAfter === e + 1) throw new Error('killed')
    }
    return { epoch: epochs, state }
  }
}

describe('pretrained backbones', () => {
  it('one pretraining per key: the second fraction reuses it, another seed or setting pretrains again', async () => {
    const store = projectBackbones(project)
    const calls: number[] = []
    const first = await pretrainOnce(store, key(), pretraining(3, calls))
    expect(first.reused).toBe(false)
    expect(calls).toEqual([1, 2, 3])
    const second = await pretrainOnce(
      store,
      key({ settings: { teacherTemperature: 0.04, epochs: 3 } }),
      pretraining(3, calls),
    )
    expect(second).toMatchObject({ reused: true, id: first.id })
    expect(Array.from(second.state['conv1.weight'].values)).toEqual([3, 3])
    expect(calls).toHaveLength(3)
    await pretrainOnce(store, key({ seed: 1 }), pretraining(3, calls))
    await pretrainOnce(
      store,
      key({ settings: { epochs: 4, teacherTemperature: 0.04 } }),
      pretraining(4, calls),
    )
    expect(calls).toHaveLength(3 + 3 + 4)
    const rows = listPretrainedBackbones(project)
    expect(rows.every((r) => r.status === 'complete')).toBe(true)
    expect(rows).toHaveLength(3)
    // Stored keys stay what they were: the first 16 hex digits of the sha256 of the sorted settings' JSON.
    expect(rows[0].settingsHash).toBe('5a333669977b211d')
    // the blobs are referenced, so garbage collection keeps them
    for (const r of rows) expect(referencedBlobs(project).has(r.blob)).toBe(true)
  })

  it('a pretraining killed mid-way resumes from its last epoch, also after reopening the project', async () => {
    const calls: number[] = []
    const k = key({ datasetVersion: 'images-v2' })
    await expect(pretrainOnce(projectBackbones(project), k, pretraining(4, calls, 2))).rejects.toThrow(
      'killed',
    )
    expect(listPretrainedBackbones(project).find((r) => r.datasetVersion === 'images-v2')).toMatchObject({
      status: 'partial',
      epoch: 2,
    })
    const reopened = openProject(project.dir)
    try {
      const r = await pretrainOnce(projectBackbones(reopened), k, pretraining(4, calls))
      expect(calls).toEqual([1, 2, 3, 4])
      expect(Array.from(r.state['conv1.weight'].values)).toEqual([4, 4])
    } finally {
      closeProject(reopened)
    }
  })

  it('without a store every call pretrains; the memory store behaves like the project one', async () => {
    const calls: number[] = []
    await pretrainOnce(undefined, key(), pretraining(2, calls))
    await pretrainOnce(undefined, key(), pretraining(2, calls))
    expect(calls).toEqual([1, 2, 1, 2])
    const mem = memoryBackbones()
    await pretrainOnce(mem, key(), pretraining(2, calls))
    expect((await pretrainOnce(mem, key(), pretraining(2, calls))).reused).toBe(true)
    expect(mem.saved).toBe(1)
  })
})
