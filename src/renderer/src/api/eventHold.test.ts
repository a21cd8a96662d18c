import { describe, expect, it } from 'vitest'
import type { ApiEvent, JobState } from '../../../shared/events'
import { EventHold } from './eventHold'

const mask = (imageId: number): ApiEvent => ({ type: 'project', change: 'mask', imageId })
const job = (id: string, fraction: number): ApiEvent => ({
  type: 'job',
  job: {
    id,
    kind: 'train',
    title: id,
    device: 'cpu',
    status: 'running',
    progress: { fraction, message: '' },
    error: null,
    result: null,
    runIds: [],
    createdAt: '2026-01-01T00:00:00Z',
  } as JobState,
})

function listen(hold: EventHold) {
  const got: ApiEvent[] = []
  return { got, listener: hold.wrap((e) => got.push(e)) }
}

describe('EventHold', () => {
  it('passes events straight through when nothing holds them', () => {
    const hold = new EventHold()
    const { got, listener } = listen(hold)
    listener(mask(1))
    listener(mask(1))
    expect(got).toEqual([mask(1), mask(1)])
  })

  it('holds events during a stroke and gives each listener the news once, in order, on release', () => {
    const hold = new EventHold()
    const a = listen(hold)
    const b = listen(hold)
    const release = hold.hold()
    for (const l of [a.listener, b.listener]) {
      l(mask(1))
      l(job('t', 0.1))
      l(mask(2))
      l(mask(1))
      l(job('t', 0.4))
    }
    expect(a.got).toEqual([])
    release()
    // The latest state of a job, each mask change once, in the order of their last arrival.
    expect(a.got).toEqual([mask(2), mask(1), job('t', 0.4)])
    expect(b.got).toEqual(a.got)
    a.listener(mask(3))
    expect(a.got.at(-1)).toEqual(mask(3))
  })

  it('keeps one mask change per image, the latest head of a stroke saved in parts', () => {
    const hold = new EventHold()
    const { got, listener } = listen(hold)
    const saved = (imageId: number, head: number): ApiEvent => ({
      type: 'project',
      change: 'mask',
      imageId,
      head,
    })
    const release = hold.hold()
    listener(saved(1, 10))
    listener(saved(2, 20))
    listener(saved(1, 11))
    listener({ type: 'project', change: 'labels', imageId: 1 })
    release()
    expect(got).toEqual([saved(2, 20), saved(1, 11), { type: 'project', change: 'labels', imageId: 1 }])
  })

  it('releases when the last of several holds ends, and a second release of one counts once', () => {
    const hold = new EventHold()
    const { got, listener } = listen(hold)
    const first = hold.hold()
    const second = hold.hold()
    listener(mask(1))
    first()
    first()
    expect(got).toEqual([])
    second()
    expect(got).toEqual([mask(1)])
  })

  it('never holds a menu command', () => {
    const hold = new EventHold()
    const { got, listener } = listen(hold)
    hold.hold()
    const menu: ApiEvent = { type: 'menu', command: { type: 'action', name: 'history.undo' } }
    listener(menu)
    expect(got).toEqual([menu])
  })
})
