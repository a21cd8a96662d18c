import { describe, expect, it } from 'vitest'
import { formatRoute, parseRoute, type Route } from './route'

describe('route', () => {
  it('round-trips every place', () => {
    const routes: Route[] = [
      { view: 'images' },
      { view: 'image', imageId: 42 },
      { view: 'image', imageId: 42, runId: 7 },
      { view: 'image', imageId: 42, runId: 7, queue: 'entropy' },
      { view: 'image', imageId: 42, runId: 7, queue: 'random' },
      { view: 'run', runId: 3 },
      { view: 'train' },
      { view: 'results' },
      { view: 'jobs' },
    ]
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r)
  })

  it('falls back to the image grid for unknown or malformed hashes', () => {
    expect(parseRoute('')).toEqual({ view: 'images' })
    expect(parseRoute('#/nowhere')).toEqual({ view: 'images' })
    expect(parseRoute('#/image/abc')).toEqual({ view: 'images' })
    expect(parseRoute('#/image/-3')).toEqual({ view: 'images' })
    expect(parseRoute('#/image/2.5')).toEqual({ view: 'images' })
    expect(parseRoute('#/image/2/run/x')).toEqual({ view: 'image', imageId: 2 })
    expect(parseRoute('#/run/0')).toEqual({ view: 'results' })
    expect(parseRoute('#/image/2/run/3/queue/guess')).toEqual({ view: 'image', imageId: 2, runId: 3 })
  })
})
