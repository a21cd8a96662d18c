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

  it('runs jobs side by side while their threads and memory fit the device, in submission order', async () => {
    const q = new JobQueue()
    q.setCapacity('cpu', { threads: 4, bytes: 10 })
    const live = new Map<string, { threads: number; bytes: number }>()
    const started: string[] = []
    let most = 0
    let overCapacity = false
    const make = (name: string, threads: number, bytes: number, ms = 30) =>
      q.submit({
        kind: 'train',
        title: name,
        device: 'cpu',
        demand: { threads, bytes },
        run: async () => {
          live.set(name, { threads, bytes })
          started.push(name)
          most = Math.max(most, live.size)
          const sum = [...live.values()].reduce((s, d) => [s[0] + d.threads, s[1] + d.bytes], [0, 0])
          if (sum[0] > 4 || sum[1] > 10) overCapacity = true
          await tick(ms)
          live.delete(name)
        },
      })
    const a = make('a', 2, 4)
    const b = make('b', 2, 4) // fits beside a: 4 threads, 8 bytes
    const c = make('c', 1, 4) // 5 threads beside a and b: waits
    const d = make('d', 1, 1, 5) // would fit beside a and b, but may not overtake c
    expect([a, b, c, d].map((j) => q.get(j.id).status)).toEqual(['running', 'running', 'queued', 'queued'])
    await Promise.all([a, b, c, d].map((j) => q.wait(j.id)))
    expect(started).toEqual(['a', 'b', 'c', 'd'])
    expect(overCapacity).toBe(false)
    // Once a is done, c (1 thread, 4 bytes) and then d (1, 1) fit beside b: three at once, never more.
    expect(most).toBe(3)
  })

  it('runs a job that states no demand, or one larger than the device, alone', async () => {
    const q = new JobQueue()
    q.setCapacity('cpu', { threads: 4, bytes: 10 })
    const live = new Set<string>()
    let together = false
    const make = (name: string, demand?: { threads: number; bytes: number }) =>
      q.submit({
        kind: 'train',
        title: name,
        device: 'cpu',
        demand,
        run: async () => {
          live.add(name)
          if (live.size > 1) together = true
          await tick(15)
          live.delete(name)
        },
      })
    const jobs = [
      make('whole device'),
      make('small', { threads: 1, bytes: 1 }),
      make('huge', { threads: 8, bytes: 99 }),
      make('small again', { threads: 1, bytes: 1 }),
    ]
    await Promise.all(jobs.map((j) => q.wait(j.id)))
    expect(jobs.map((j) => q.get(j.id).status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded'])
    expect(together).toBe(false)
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

  it('drops what the stage before reported when a report starts a stage of its own', async () => {
    const q = new JobQueue()
    const job = q.submit({
      kind: 'train',
      title: 'run',
      device: 'cpu',
      run: async (ctx) => {
        await tick()
        ctx.progress({
          fraction: 1,
          message: 'Epoch 2/2',
          epoch: 2,
          epochs: 2,
          losses: { total: 0.3 },
          lr: 1e-3,
        })
        ctx.progress({ fraction: 0.5, etaSeconds: 4 }) // adds to the training's report
        expect(q.get(job.id).progress).toMatchObject({ epoch: 2, losses: { total: 0.3 }, etaSeconds: 4 })
        ctx.progress({ startsStage: true, fraction: 0.25, message: 'Predicting', etaSeconds: 9 })
        expect(q.get(job.id).progress).toEqual({
          startsStage: true,
          fraction: 0.25,
          message: 'Predicting',
          etaSeconds: 9,
        })
      },
    })
    expect(await q.wait(job.id)).toMatchObject({ status: 'succeeded', error: null })
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
