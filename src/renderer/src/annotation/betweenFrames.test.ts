import { afterEach, describe, expect, it, vi } from 'vitest'
import { betweenFrames } from './betweenFrames'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('betweenFrames', () => {
  it('waits for the idle callback, asking for it within the timeout', async () => {
    let idle: (() => void) | null = null
    const ric = vi.fn((cb: () => void) => ((idle = cb), 1))
    vi.stubGlobal('requestIdleCallback', ric)
    let done = false
    const p = betweenFrames(150).then(() => (done = true))
    await Promise.resolve()
    expect(done).toBe(false)
    expect(ric).toHaveBeenCalledWith(expect.any(Function), { timeout: 150 })
    idle!()
    await p
    expect(done).toBe(true)
  })

  it('falls back to the next task where the page has no idle callbacks', async () => {
    vi.stubGlobal('requestIdleCallback', undefined)
    vi.useFakeTimers()
    let done = false
    const p = betweenFrames().then(() => (done = true))
    await Promise.resolve()
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    await p
    expect(done).toBe(true)
  })
})
