import { describe, expect, it } from 'vitest'
import { paintSegment, type Point } from '../brushStroke'
import { floodFill } from '../floodFill'
import { fillPolygon } from '../polygonFill'
import type { Rect } from '../rect'
import { TiledMask } from '../tiledMask'
import type { PaintContext, PaintShape } from './paintContext'
import { Toolbox } from './toolbox'
import type { ToolName } from './toolMachine'

/** A viewer stand-in: a real mask, an editable rectangle, and a log of what the tool asked for. */
function harness(opts: { editable?: Rect | null; value?: number; radius?: number } = {}) {
  const mask = new TiledMask(64, 48, 16)
  const log: string[] = []
  const shapes: PaintShape[] = []
  const ctx: PaintContext = {
    mask,
    value: opts.value ?? 1,
    radius: opts.radius ?? 3,
    editable: () => (opts.editable === undefined ? { x: 0, y: 0, width: 64, height: 48 } : opts.editable),
    begin: () => {
      mask.beginSnapshot()
      log.push('begin')
    },
    changed: () => {
      if (log[log.length - 1] !== 'changed') log.push('changed')
    },
    end: (shape) => {
      mask.endSnapshot()
      shapes.push(shape)
      log.push('end')
    },
    rollback: () => {
      mask.rollback()
      log.push('rollback')
    },
  }
  const box = new Toolbox(() => ctx)
  const use = (t: ToolName) => box.select(t)
  return { mask, log, shapes, ctx, box, use }
}

const P = (x: number, y: number): Point => ({ x, y })

function pixels(m: TiledMask): string {
  return [...m.readRect({ x: 0, y: 0, width: m.width, height: m.height })].join('')
}

/** The same mask painted directly with the primitive, to compare a tool's result against. */
function reference(paint: (m: TiledMask) => void): string {
  const m = new TiledMask(64, 48, 16)
  paint(m)
  return pixels(m)
}

describe('brush and eraser', () => {
  it('down → moves → up paints the capsules along the path and commits one stroke', () => {
    const h = harness({ value: 2, radius: 3 })
    h.use('brush')
    h.box.pointerDown(P(10, 10))
    expect(h.box.current.state).toBe('stroking')
    h.box.pointerMove(P(20, 12))
    h.box.pointerMove(P(30, 20))
    h.box.pointerUp(P(30, 20))
    expect(h.box.current.state).toBe('idle')
    expect(h.shapes).toEqual([
      { kind: 'stroke', value: 2, radius: 3, points: [P(10, 10), P(20, 12), P(30, 20)] },
    ])
    expect(h.log).toEqual(['begin', 'changed', 'end'])
    expect(pixels(h.mask)).toBe(
      reference((m) => {
        paintSegment(m, P(10, 10), P(10, 10), 3, 2)
        paintSegment(m, P(10, 10), P(20, 12), 3, 2)
        paintSegment(m, P(20, 12), P(30, 20), 3, 2)
      }),
    )
    // Moves after the release paint nothing.
    h.box.pointerMove(P(50, 40))
    expect(h.mask.get(50, 40)).toBe(0)
  })

  it('the eraser clears what the brush painted (value 0)', () => {
    const h = harness({ radius: 4 })
    h.box.pointerDown(P(5, 24))
    h.box.pointerMove(P(60, 24))
    h.box.pointerUp(P(60, 24))
    h.use('eraser')
    h.box.pointerDown(P(30, 24))
    h.box.pointerUp(P(30, 24))
    expect(h.shapes[1]).toEqual({ kind: 'stroke', value: 0, radius: 4, points: [P(30, 24)] })
    expect(h.mask.get(30, 24)).toBe(0)
    expect(h.mask.get(10, 24)).toBe(1)
  })

  it('Escape mid-stroke rolls back to the mask before the stroke and commits nothing', () => {
    const h = harness()
    h.box.pointerDown(P(5, 5))
    h.box.pointerUp(P(5, 5))
    const before = pixels(h.mask)
    h.box.pointerDown(P(20, 20))
    h.box.pointerMove(P(40, 30))
    expect(h.box.busy).toBe(true)
    expect(h.box.cancel()).toBe(true)
    expect(h.box.busy).toBe(false)
    expect(pixels(h.mask)).toBe(before)
    expect(h.shapes).toHaveLength(1)
    expect(h.log.slice(-1)).toEqual(['rollback'])
    // A later release is an idle event: nothing more is committed.
    h.box.pointerUp(P(40, 30))
    expect(h.shapes).toHaveLength(1)
    expect(h.box.cancel()).toBe(false)
  })

  it('a press outside the editable part starts nothing', () => {
    const h = harness({ editable: { x: 0, y: 0, width: 32, height: 48 } })
    h.box.pointerDown(P(40, 10))
    h.box.pointerMove(P(10, 10))
    h.box.pointerUp(P(10, 10))
    expect(h.box.current.state).toBe('idle')
    expect(h.log).toEqual([])
    expect(pixels(h.mask)).toBe('0'.repeat(64 * 48))
  })

  it('shows the brush circle at the pointer, idle or stroking', () => {
    const h = harness({ radius: 7 })
    expect(h.box.preview(P(3, 4))).toEqual({ cursor: { x: 3, y: 4, r: 7 }, shape: null })
    expect(h.box.preview(null)).toEqual({ cursor: null, shape: null })
  })

  it('choosing another tool mid-stroke keeps the stroke', () => {
    const h = harness()
    h.box.pointerDown(P(10, 10))
    h.box.pointerMove(P(20, 10))
    h.use('fill')
    expect(h.shapes.map((s) => s.kind)).toEqual(['stroke'])
    expect(h.mask.get(15, 10)).toBe(1)
    expect(h.box.current.name).toBe('fill')
  })
})

describe('polygon', () => {
  const tri = [P(4, 4), P(40, 6), P(12, 40)]

  it('clicks add vertices, Enter closes, Enter again fills, and the preview runs to the pointer', () => {
    const h = harness({ value: 3 })
    h.use('polygon')
    h.box.pointerDown(tri[0])
    h.box.pointerUp(tri[0])
    expect(h.box.current.state).toBe('placing')
    h.box.pointerDown(tri[1])
    h.box.pointerUp(tri[1])
    expect(h.box.preview(P(20, 20))).toMatchObject({ cursor: null, shape: [4, 4, 40, 6, 20, 20] })
    h.box.pointerDown(tri[2])
    h.box.pointerUp(tri[2])
    expect(h.log).toEqual([])
    expect(h.box.complete()).toBe(true)
    // Closed, not filled yet: the line runs back to the first vertex and the vertices are handles.
    expect(h.box.current.state).toBe('closed')
    expect(h.box.preview(null)).toEqual({ cursor: null, shape: [4, 4, 40, 6, 12, 40, 4, 4], vertices: tri })
    expect(h.shapes).toEqual([])
    expect(h.box.complete()).toBe(true)
    expect(h.box.current.state).toBe('idle')
    expect(h.shapes).toEqual([{ kind: 'polygon', value: 3, points: tri }])
    expect(pixels(h.mask)).toBe(reference((m) => fillPolygon(m, tri, 3)))
  })

  it('a click on the first vertex closes it like Enter; a closed vertex can be dragged before filling', () => {
    const h = harness({ value: 2 })
    h.ctx.pickRadius = 2
    h.use('polygon')
    for (const p of tri) h.box.pointerDown(p)
    h.box.pointerDown(P(5, 5)) // within 2 px of the first vertex
    expect(h.box.current.state).toBe('closed')
    h.box.pointerDown(P(41, 7)) // picks the second vertex…
    h.box.pointerMove(P(50, 20)) // …and drags it
    h.box.pointerUp(P(50, 20))
    h.box.complete()
    const moved = [tri[0], P(50, 20), tri[2]]
    expect(h.shapes).toEqual([{ kind: 'polygon', value: 2, points: moved }])
    expect(pixels(h.mask)).toBe(reference((m) => fillPolygon(m, moved, 2)))
  })

  it('two vertices fill nothing; Escape drops an open or a closed polygon', () => {
    const h = harness()
    h.use('polygon')
    h.box.pointerDown(P(1, 1))
    h.box.pointerDown(P(30, 1))
    h.box.complete()
    expect(h.box.current.state).toBe('idle')
    expect(h.shapes).toEqual([])
    for (const p of tri) h.box.pointerDown(p)
    expect(h.box.cancel()).toBe(true)
    expect(h.box.current.state).toBe('idle')
    for (const p of tri) h.box.pointerDown(p)
    h.box.complete()
    expect(h.box.cancel()).toBe(true)
    expect(h.box.complete()).toBe(false)
    expect(h.shapes).toEqual([])
    expect(pixels(h.mask)).toBe('0'.repeat(64 * 48))
  })

  it('clips vertices outside the editable part to it, saying so, instead of dropping them', () => {
    const editable = { x: 0, y: 0, width: 32, height: 32 }
    const h = harness({ editable })
    const notices: string[] = []
    h.ctx.notice = (m) => notices.push(m)
    h.use('polygon')
    // A square whose right half lies outside: filled up to the border, not dropped.
    for (const p of [P(16, 4), P(48, 4), P(48, 20), P(16, 20)]) h.box.pointerDown(p)
    h.box.complete()
    h.box.complete()
    expect(h.shapes).toEqual([
      { kind: 'polygon', value: 1, points: [P(16, 4), P(32, 4), P(32, 20), P(16, 20)] },
    ])
    expect(notices).toEqual(['The shape reached outside the editable image: it was clipped to it'])
    expect(pixels(h.mask)).toBe(
      reference((m) => fillPolygon(m, [P(16, 4), P(32, 4), P(32, 20), P(16, 20)], 1)),
    )
  })

  it('choosing another tool mid-polygon fills what was placed', () => {
    const h = harness()
    h.use('polygon')
    for (const p of tri) h.box.pointerDown(p)
    h.use('brush')
    expect(h.shapes.map((s) => s.kind)).toEqual(['polygon'])
  })
})

describe('lasso', () => {
  it('fills the path dragged on release, skipping points closer than a pixel', () => {
    const h = harness({ value: 2 })
    h.use('lasso')
    h.box.pointerDown(P(10, 10))
    h.box.pointerMove(P(10.3, 10.2))
    h.box.pointerMove(P(40, 10))
    h.box.pointerMove(P(40, 40))
    h.box.pointerMove(P(10, 40))
    expect(h.box.preview(P(0, 0)).shape).toEqual([10, 10, 40, 10, 40, 40, 10, 40])
    h.box.pointerUp(P(10, 40))
    const path = [P(10, 10), P(40, 10), P(40, 40), P(10, 40)]
    expect(h.shapes).toEqual([{ kind: 'polygon', value: 2, points: path }])
    expect(pixels(h.mask)).toBe(reference((m) => fillPolygon(m, path, 2)))
  })

  it('Escape while dragging drops the path', () => {
    const h = harness()
    h.use('lasso')
    h.box.pointerDown(P(10, 10))
    h.box.pointerMove(P(40, 10))
    h.box.pointerMove(P(40, 40))
    h.box.cancel()
    h.box.pointerUp(P(40, 40))
    expect(h.shapes).toEqual([])
    expect(h.log).toEqual([])
  })
})

describe('fill', () => {
  it('a click fills the region of one class around it, within the editable part', () => {
    const h = harness()
    // A ring of class 1 around (20, 20).
    for (const [a, b] of [
      [P(10, 10), P(30, 10)],
      [P(30, 10), P(30, 30)],
      [P(30, 30), P(10, 30)],
      [P(10, 30), P(10, 10)],
    ])
      paintSegment(h.mask, a, b, 1, 1)
    const ring = pixels(h.mask)
    h.ctx.value = 2
    h.use('fill')
    h.box.pointerDown(P(20, 20))
    h.box.pointerUp(P(20, 20))
    expect(h.box.current.state).toBe('idle')
    expect(h.shapes).toEqual([{ kind: 'fill', value: 2, seed: P(20, 20) }])
    expect(h.log).toEqual(['begin', 'changed', 'end'])
    const want = new TiledMask(64, 48, 16)
    want.writeRect({ x: 0, y: 0, width: 64, height: 48 }, Uint8Array.from(ring, Number))
    floodFill(want, 20, 20, 2, { x: 0, y: 0, width: 64, height: 48 })
    expect(pixels(h.mask)).toBe(pixels(want))
    expect(h.mask.get(20, 20)).toBe(2)
    expect(h.mask.get(50, 40)).toBe(0)
  })

  it('a click where nothing may be edited does nothing', () => {
    const h = harness({ editable: null })
    h.use('fill')
    h.box.pointerDown(P(20, 20))
    expect(h.log).toEqual([])
  })
})

describe('pan', () => {
  it('pans and never paints', () => {
    const h = harness()
    h.use('pan')
    expect(h.box.current.pans).toBe(true)
    h.box.pointerDown(P(10, 10))
    h.box.pointerMove(P(20, 20))
    h.box.pointerUp(P(20, 20))
    expect(h.box.busy).toBe(false)
    expect(h.log).toEqual([])
    expect(h.box.tools.filter((t) => t.pans).map((t) => t.name)).toEqual(['pan'])
  })
})
