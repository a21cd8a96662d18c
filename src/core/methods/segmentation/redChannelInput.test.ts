import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closeProject } from '../../store/project'
import { insertImage } from '../../store/images'
import { createGeneratedProject } from './fixtures/generatedProject'
import { redChannelApplies } from './inputDefaults'
import { segmentationInput } from './segmentationCatalogue'
import { supervisedMethod } from './supervised'
import { crossTeachingMethod } from './crossTeaching'
import { picieMethod } from './picie'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-red-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const methods = [
  supervisedMethod({ cnn: tinySegmentationNet() }),
  crossTeachingMethod({ cnn: tinySegmentationNet(), swin: tinySegmentationNet() }),
  picieMethod({ backbone: tinyFeatureNet() }),
]

describe("the paper's red-channel normalisation", () => {
  it('is on in the paper preset for RGB projects, off in quick runs, and switchable off', async () => {
    const g = await createGeneratedProject(path.join(dir, 'rgb'), { count: 4, size: 8, labelled: 1 })
    try {
      for (const m of methods) {
        expect(segmentationInput(m, g.project, { preset: 'paper', overrides: {} }).redChannel).toBe(true)
        expect(segmentationInput(m, g.project, { preset: 'quick', overrides: {} }).redChannel).toBe(false)
        const off = { preset: 'paper' as const, overrides: { redChannel: false } }
        expect(segmentationInput(m, g.project, off).redChannel).toBe(false)
      }
    } finally {
      closeProject(g.project)
    }
  })
  it('is not applied to a project with single-channel images, even when asked', async () => {
    const g = await createGeneratedProject(path.join(dir, 'grey'), { count: 2, size: 8, labelled: 1 })
    try {
      insertImage(g.project, {
        blob: g.project.blobs.put(Buffer.from('x')),
        name: 'fluorescence',
        width: 8,
        height: 8,
        channels: 1,
        format: 'png',
      })
      const asked = { preset: 'paper' as const, overrides: { redChannel: true } }
      expect(segmentationInput(methods[0], g.project, asked).redChannel).toBe(false)
    } finally {
      closeProject(g.project)
    }
    expect(redChannelApplies(true, [{ channels: 3 }, { channels: 4 }])).toBe(true)
    expect(redChannelApplies(true, [])).toBe(false)
    expect(redChannelApplies(false, [{ channels: 3 }])).toBe(false)
  })
})
