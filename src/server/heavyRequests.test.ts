import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../core/api/handlers'
import { HEAVY_CONCURRENCY, HEAVY_QUEUE_LIMIT } from './requestLimits'
import { startTestServer, type TestServer } from './fixtures/testServer'
import type { RunningServer } from './server'

// Heavy calls (image decoding, weights) are bounded: HEAVY_CONCURRENCY at once, HEAVY_QUEUE_LIMIT waiting,
// the rest refused with 503 at once; light calls are answered meanwhile.
let harness: TestServer
let server: RunningServer
let active = 0
let most = 0
let release: () => void = () => undefined
const released = new Promise<void>((r) => (release = r))

beforeAll(async () => {
  harness = await startTestServer('heavy', {
    handlers: (session) => {
      const handlers = createHandlers(session)
      // weights.import stands for every heavy call: it holds its slot until the test releases it.
      handlers['weights.import'] = async () => {
        active++
        most = Math.max(most, active)
        await released
        active--
        return { imported: [], rejected: [] }
      }
      return handlers
    },
  })
  server = harness.server
})
afterAll(() => harness.close())

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
