import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFlatPng } from '../data/datasetFixtures'
import { dispatch } from './dispatch'
import { createHandlers } from './handlers'
import { testSession } from './fixtures/testSession'

// The job-level twin of data/importCancel.test.ts: a cancel through the API ends the import job within a
// second even while its one big image is being decoded and tiled.
let dir = ''
let file = ''
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-jobcancel-'))
  file = path.join(dir, 'big.png')
  await writeFlatPng(file, 7_000)
}, 300_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('cancelling an import job', () => {
  it('an import job of a 7,000² PNG ends as cancelled within a second of jobs.cancel', async () => {
    const session = testSession(dir)
    const handlers = createHandlers(session)
    const call = async (method: string, input: unknown) => {
      const r = await dispatch(handlers, method, input)
      if (!r.ok) throw new Error(r.error.message)
      return r.result as Record<string, unknown>
    }
    await call('project.create', {
      dir: path.join(dir, 'job'),
      name: 'job',
      labelMode: 'multi-class',
      classes: [],
    })
    const { jobId } = (await call('import.start', { format: 'images', path: file })) as { jobId: string }
    const ended = new Promise<{ status: string; at: number }>((resolve) =>
      session.jobs.onChange((j) => {
        if (j.id === jobId && !['queued', 'running'].includes(j.status))
          resolve({ status: j.status, at: Date.now() })
      }),
    )
    await new Promise((r) => setTimeout(r, 300))
    const cancelledAt = Date.now()
    await call('jobs.cancel', { jobId })
    const end = await ended
    expect(end.status).toBe('cancelled')
    expect(end.at - cancelledAt).toBeLessThan(1000)
    expect((await call('project.info', {})).counts).toMatchObject({ images: 0, tiles: 0 })
    session.close()
  })
})
