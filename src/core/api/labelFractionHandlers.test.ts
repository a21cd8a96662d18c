import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '../../shared/events'
import { insertImage } from '../store/images'
import { setImageLabels } from '../store/labels'
import { createProject } from '../store/project'
import { annotationHandlers } from './annotationHandlers'
import { labelFractionHandlers } from './labelFractionHandlers'
import type { Session } from './session'
import { testSession } from './fixtures/testSession'

let dir: string
let session: Session
let h: ReturnType<typeof labelFractionHandlers>
let a: ReturnType<typeof annotationHandlers>
const events: ApiEvent[] = []

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-label-fraction-'))
  const p = createProject(path.join(dir, 'p'), {
    name: 'fractions',
    labelMode: 'multi-class',
    classes: [
      { name: 'tumour', color: '#ff0000' },
      { name: 'stroma', color: '#00ff00' },
    ],
  })
  for (let i = 0; i < 30; i++) {
    const id = insertImage(p, {
      blob: String(i).padStart(64, '0'),
      name: `s${i}.png`,
      width: 8,
      height: 8,
      channels: 3,
      format: 'png',
    })
    if (i % 5 !== 4) setImageLabels(p, id, [i % 3 === 0 ? 1 : 2])
  }
  session = testSession(dir, p)
  session.onEvent((e) => events.push(e))
  h = labelFractionHandlers(session)
  a = annotationHandlers(session)
})

afterAll(() => {
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('labelFraction handlers', () => {
  it('preview a stratified, nested set and store the choice as the active one the grid marks', async () => {
    const st = await h['labelFraction.state']({ task: 'classification' })
    expect(st.active).toBeNull()
    const small = await h['labelFraction.preview']({ task: 'classification', choice: 0.1, seed: 3 })
    const all = await h['labelFraction.preview']({ task: 'classification', choice: 1, seed: 3 })
    const user = await h['labelFraction.preview']({ task: 'classification', choice: 'user', seed: 3 })
    expect(all.imageIds.length).toBe(st.labelled)
    expect(user.imageIds).toEqual(all.imageIds)
    // Every class keeps an image even at 10 %, and the 10 % set sits inside the 100 % set.
    expect(small.perClass.every((c) => c.selected >= 1)).toBe(true)
    expect(small.imageIds.every((i) => all.imageIds.includes(i))).toBe(true)
    expect(small.datasetVersion).toMatch(/^[0-9a-f]{16}$/)
    expect(small.datasetVersion).not.toBe(all.datasetVersion)
    const chosen = await h['labelFraction.choose']({ task: 'classification', choice: 0.1, seed: 3 })
    expect(chosen.active).toMatchObject({
      task: 'classification',
      mode: 'fraction',
      fraction: 0.1,
      seed: 3,
      imageIds: small.imageIds,
      datasetVersion: small.datasetVersion,
    })
    expect(chosen.perClass.map((c) => c.selected)).toEqual(small.perClass.map((c) => c.selected))
    expect(events).toContainEqual({ type: 'project', change: 'labels' })
    const images = await a['images.list']({})
    expect(images.filter((i) => i.inTrainingSet).map((i) => i.id)).toEqual(small.imageIds)
  })
  it('refuse an empty set, saying why', async () => {
    await expect(h['labelFraction.choose']({ task: 'segmentation', choice: 0.3, seed: 0 })).rejects.toThrow(
      /No training image has a mask yet/,
    )
  })
})
