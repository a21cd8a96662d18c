import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../core/api/handlers'
import { Session } from '../core/api/session'
import { HEAVY_CONCURRENCY, HEAVY_QUEUE_LIMIT } from './requestLimits'
import { startServer, type RunningServer } from './server'

// Heavy calls (image decoding, weights) are bounded: HEAVY_CONCURRENCY at once, HEAVY_QUEUE_LIMIT waiting,
// the rest refused with 503 at once; light calls are answered meanwhile.
let tmp = ''
let session: Session
let server: RunningServer
let active = 0
let most = 0
let release: () => void = () => undefined
const released = new Promise<void>((r) => (release = r))

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-heavy-'))
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 't',
    transport: 'http',
    defaultProjectsDir: tmp,
  })
  const handlers = createHandlers(session)
  // weights.import stands for every heavy call: it holds its slot until the test releases it.
  handlers['weights.import'] = async () => {
    active++
    most = Math.max(most, active)
    await released
    active--
    return { imported: [], rejected: [] }
  }
  server = await startServer({ session, handlers, staticDir: tmp, host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await server.close()
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const post = (method: string, body: unknown) =>
  fetch(`${server.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-s4mi-token': server.key! },
    body: JSON.stringify(body),
  }).then((r) => r.status)

describe('concurrent heavy requests', () => {
  it(`run ${HEAVY_CONCURRENCY} at a time, queue ${HEAVY_QUEUE_LIMIT}, refuse the rest with 503`, async () => {
    const extra = 6
    const statuses: number[] = []
    const calls = Array.from({ length: HEAVY_CONCURRENCY + HEAVY_QUEUE_LIMIT + extra }, () =>
      post('weights.import', { paths: ['/nowhere'] }).then((s) => statuses.push(s)),
    )
    while (statuses.filter((s) => s === 503).length < extra) await new Promise((r) => setTimeout(r, 20))
    expect(active).toBe(HEAVY_CONCURRENCY)
    // A light call is not stuck behind them.
    expect(await post('app.status', {})).toBe(200)
    release()
    await Promise.all(calls)
    expect(most).toBe(HEAVY_CONCURRENCY)
    expect(statuses.filter((s) => s === 200)).toHaveLength(HEAVY_CONCURRENCY + HEAVY_QUEUE_LIMIT)
    expect(statuses.filter((s) => s === 503)).toHaveLength(extra)
  })
})
