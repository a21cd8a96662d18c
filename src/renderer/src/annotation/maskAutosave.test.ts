import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { paintSegment } from './brushStroke'
import { MaskAutosave, type MaskSave } from './maskAutosave'
import { TiledMask } from './tiledMask'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function setup(fail = 0) {
  const mask = new TiledMask(64, 64, 16)
  for (let ty = 0; ty < 4; ty++) for (let tx = 0; tx < 4; tx++) mask.loadTile(tx, ty, null)
  const saves: MaskSave[] = []
  let rev = 10
  let failures = fail
  const autosave = new MaskAutosave(mask, {
    maxDelay: 600,
    idleDelay: 100,
    save: async (s) => {
      if (failures-- > 0) throw new Error('disk full')
      saves.push(s)
      return ++rev
    },
  })
  return { mask, saves, autosave }
}

describe('MaskAutosave', () => {
  it('saves a long stroke within the delay while drawing, and amends its parts into one revision', async () => {
    const { mask, saves, autosave } = setup()
    autosave.beginStroke()
    paintSegment(mask, { x: 2, y: 2 }, { x: 10, y: 2 }, 1, 1)
    autosave.changed()
    await vi.advanceTimersByTimeAsync(599)
    expect(saves.length).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(saves.length).toBe(1)
    expect(saves[0].amend).toBeNull()
    paintSegment(mask, { x: 10, y: 2 }, { x: 40, y: 30 }, 1, 1)
    autosave.changed()
    autosave.endStroke()
    await vi.advanceTimersByTimeAsync(100)
    expect(saves.length).toBe(2)
    expect(saves[1].amend).toBe(11)
    // The second save carries only what changed since the first.
    expect(saves[1].patches.every((p) => p.x + p.width > 10)).toBe(true)
    // The next stroke starts its own revision.
    autosave.beginStroke()
    paintSegment(mask, { x: 50, y: 50 }, { x: 50, y: 50 }, 2, 2)
    autosave.changed()
    autosave.endStroke()
    await vi.advanceTimersByTimeAsync(100)
    expect(saves[2].amend).toBeNull()
  })

  it('puts patches back after a failed save and saves them on retry', async () => {
    const { mask, saves, autosave } = setup(1)
    autosave.beginStroke()
    paintSegment(mask, { x: 5, y: 5 }, { x: 5, y: 5 }, 1, 1)
    autosave.changed()
    autosave.endStroke()
    await vi.advanceTimersByTimeAsync(100)
    expect(saves.length).toBe(0)
    expect(mask.hasUnsaved()).toBe(true)
    await vi.advanceTimersByTimeAsync(2000)
    expect(saves.length).toBe(1)
    const p = saves[0].patches[0]
    expect(p.data[(5 - p.y) * p.width + (5 - p.x)]).toBe(1)
    expect(mask.hasUnsaved()).toBe(false)
  })

  it('holds status news back while a stroke is drawn and tells the last of it when the stroke ends', async () => {
    const mask = new TiledMask(64, 64, 16)
    for (let ty = 0; ty < 4; ty++) for (let tx = 0; tx < 4; tx++) mask.loadTile(tx, ty, null)
    const told: string[] = []
    const autosave = new MaskAutosave(mask, {
      maxDelay: 600,
      idleDelay: 100,
      save: async () => 1,
      onStatus: (s) => told.push(s.state),
    })
    autosave.beginStroke()
    paintSegment(mask, { x: 2, y: 2 }, { x: 10, y: 2 }, 1, 1)
    autosave.changed()
    await vi.advanceTimersByTimeAsync(600) // a save while drawing
    const later: string[] = []
    autosave.afterStroke(() => later.push('after'))
    expect([told, later]).toEqual([[], []])
    autosave.endStroke()
    expect(told).toEqual(['saved'])
    expect(later).toEqual(['after'])
    autosave.afterStroke(() => later.push('now'))
    expect(later).toEqual(['after', 'now'])
  })

  it('sends what is left by beacon when the page goes away', () => {
    const { mask, autosave } = setup()
    const sent: MaskSave[] = []
    const withBeacon = new MaskAutosave(mask, {
      save: async () => 1,
      beacon: (s) => (sent.push(s), true),
    })
    withBeacon.beginStroke()
    paintSegment(mask, { x: 30, y: 30 }, { x: 33, y: 30 }, 1, 2)
    withBeacon.changed()
    withBeacon.unload()
    expect(sent.length).toBe(1)
    expect(mask.hasUnsaved()).toBe(false)
    autosave.dispose()
  })
})
