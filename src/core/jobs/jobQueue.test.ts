import { describe, expect, it } from 'vitest'
import type { JobState } from '../../shared/events'
import { JobQueue, throwIfCancelled } from './jobQueue'

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms))

describe('JobQueue', () => {
  it('runs jobs of one device one at a time, in order, and others in parallel', async () => {
    const q = new JobQueue()
    const order: string[] = []
    const make = (name: string, device: string) =>
      q.submit({
        kind: 'train',
        title: name,
        device,
        run: async () => {
          order.push(`start ${name}`)
          await tick(20)
          order.push(`end ${name}`)
          return name
        },
      })
    const a = make('a', 'cpu')
    const b = make('b', 'cpu')
    const c = make('c', 'gpu')
    expect(q.get(b.id).status).toBe('queued')
    const [ra, rb, rc] = await Promise.all([q.wait(a.id), q.wait(b.id), q.wait(c.id)])
    expect([ra.status, rb.status, rc.status]).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(rb.result).toBe('b')
    expect(order.indexOf('end a')).toBeLessThan(order.indexOf('start b'))
    expect(order.indexOf('start c')).toBeLessThan(order.indexOf('end a'))
  })

  it('cancels a running job through its signal and a queued one at once', async () => {
    const q = new JobQueue()
    const running = q.submit({
      kind: 'import',
      title: 'long',
      device: 'cpu',
      run: async (ctx) => {
        for (;;) {
          throwIfCancelled(ctx.signal)
          await tick()
        }
      },
    })
    const queued = q.submit({ kind: 'import', title: 'next', device: 'cpu', run: async () => 1 })
    await tick(15)
    expect(q.cancel(queued.id).status).toBe('cancelled')
    q.cancel(running.id)
    expect((await q.wait(running.id)).status).toBe('cancelled')
    expect((await q.wait(queued.id)).status).toBe('cancelled')
  })

  it('marks a throwing job failed with its message and keeps going', async () => {
    const q = new JobQueue()
    const seen: JobState[] = []
    q.onChange((j) => seen.push(j))
    const bad = q.submit({
      kind: 'train',
      title: 'bad',
      device: 'cpu',
      run: async () => {
        throw new Error('out of memory')
      },
    })
    const good = q.submit({ kind: 'train', title: 'good', device: 'cpu', run: async () => 'ok' })
    expect((await q.wait(bad.id)).error).toBe('out of memory')
    expect((await q.wait(good.id)).status).toBe('succeeded')
    expect(seen.some((j) => j.id === bad.id && j.status === 'failed')).toBe(true)
  })

  it('reports progress to listeners', async () => {
    const q = new JobQueue()
    const fractions: (number | null)[] = []
    q.onChange((j) => fractions.push(j.progress.fraction))
    const j = q.submit({
      kind: 'demo',
      title: 'p',
      device: 'cpu',
      run: async (ctx) => {
        ctx.progress({ fraction: 0.25, message: 'quarter' })
        ctx.progress({ fraction: 0.5, message: 'half' })
        await tick(300)
      },
    })
    await q.wait(j.id)
    expect(fractions).toContain(0.5) // the throttled trailing update arrives
    expect(fractions.at(-1)).toBe(1)
  })
})
