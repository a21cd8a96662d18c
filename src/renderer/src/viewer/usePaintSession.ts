import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { holdEvents } from '../api/client'
import type { Point } from '../annotation/brushStroke'
import type { Rect } from '../annotation/rect'
import type { PaintContext } from '../annotation/tools/paintContext'
import { Toolbox } from '../annotation/tools/toolbox'
import type { ToolName } from '../annotation/tools/toolMachine'
import type { MaskSession } from '../annotation/useMaskSession'
import type { SlideStageHandle } from './SlideStage'
import { MAX_MASK_TILES, maskDrawTiles, type MaskReach } from './useMaskReach'

/**
 * Painting the mask: the tools and their settings (mask class, brush radius), the mask tiles in reach loaded and
 * drawn, what may be edited now, and the brush cursor and shape preview over the stage. Brush latency (pointer
 * event to the end of the main-thread work of the frame that shows the dab: its paint and commit to the
 * compositor) is recorded in `latencies` for the benchmark.
 */
export function usePaintSession(
  session: MaskSession,
  reach: MaskReach,
  /** Pixel values of the project's mask classes, in palette order. */
  maskValues: readonly number[],
  stage: RefObject<SlideStageHandle | null>,
  opts: {
    /** Why this image's mask may not be edited at all (evaluation ground truth, locked), or null. */
    locked?: string | null
    /** The view's scale (screen pixels per image pixel): how near a click must be to pick a vertex. */
    scale?: number
    /** What a tool did on its own that the user should know (a shape clipped to the image). */
    notice?: (message: string) => void
  } = {},
) {
  const locked = opts.locked ?? null
  const [tool, setTool] = useState<ToolName>('brush')
  /** The pixel value painted: a mask class's value (never an image label). */
  const [paintClass, setPaintClass] = useState(maskValues[0] ?? 1)
  const [radius, setRadius] = useState(12)
  // Bumped when a painted tile gets its first canvas, so the mask layer gains its node.
  const [canvasCount, setCanvasCount] = useState(0)
  const latencies = useRef<number[]>([])
  const strokeClock = useRef<number | null>(null)
  const releaseEvents = useRef<(() => void) | null>(null)
  const frameDone = useRef<MessagePort | null>(null)
  useEffect(() => {
    const channel = new MessageChannel()
    channel.port1.onmessage = (e: MessageEvent<number>) => latencies.current.push(performance.now() - e.data)
    frameDone.current = channel.port2
    return () => {
      channel.port1.close()
      frameDone.current = null
    }
  }, [])

  // Mask tiles on screen: load them; edits are allowed only where everything on screen is loaded.
  const { ensureTiles } = session
  useEffect(() => {
    if (reach.inReach) ensureTiles(reach.tiles)
  }, [reach.inReach, reach.tiles, ensureTiles])
  const editable = useRef<Rect | null>(null)
  editable.current =
    !locked && reach.inReach && session.allLoaded(reach.tiles) && reach.visible ? reach.visible : null

  const redraw = () => {
    if (session.canvases.update()) setCanvasCount((n) => n + 1)
    session.autosave.changed()
  }
  const ctx = useRef<PaintContext | null>(null)
  ctx.current = {
    mask: session.mask,
    value: paintClass,
    radius,
    // 8 screen pixels, whatever the zoom.
    pickRadius: 8 / (opts.scale ?? 1),
    notice: opts.notice,
    editable: () => editable.current,
    begin: () => {
      session.mask.beginSnapshot()
      session.autosave.beginStroke()
      // The app's news (each save of this stroke sends some) waits for the stroke: a render now costs frames.
      releaseEvents.current?.()
      releaseEvents.current = holdEvents()
    },
    changed: () => {
      redraw()
      const t0 = strokeClock.current
      const port = frameDone.current
      if (t0 !== null && port) {
        strokeClock.current = null
        // The tile canvas was written above. The frame callback runs as the frame that shows it starts; a
        // message posted from there runs once that frame's paint and commit to the compositor are done.
        requestAnimationFrame(() => port.postMessage(t0))
      }
    },
    end: () => {
      session.mask.endSnapshot()
      session.autosave.endStroke()
      releaseEvents.current?.()
    },
    rollback: () => {
      session.mask.rollback()
      redraw()
      session.autosave.endStroke()
      releaseEvents.current?.()
    },
  }
  // Leaving the image mid-stroke lets the news through.
  useEffect(() => () => releaseEvents.current?.(), [])
  const toolbox = useMemo(() => new Toolbox(() => ctx.current!), [])

  // Stable between renders unless tiles came or went, so the memoised stage is not redrawn by a status change.
  const { version, canvases } = session
  const maskTiles = useMemo(
    () => maskDrawTiles(session, reach),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reach.inReach, reach.tiles, reach.tileSize, version, canvases, canvasCount],
  )

  /** Brush circle and shape line for the pointer at `pt` (image coordinates; null: off the canvas). */
  const showPreview = useCallback(
    (pt: Point | null) => {
      const p = toolbox.preview(pt)
      stage.current?.drawOverlay(p.cursor, p.shape, p.vertices ?? null)
    },
    [toolbox, stage],
  )
  useEffect(() => showPreview(null), [tool, showPreview])

  const selectTool = useCallback(
    (t: ToolName) => {
      toolbox.select(t)
      setTool(t)
    },
    [toolbox],
  )
  /** Paints with the mask class at `place` in the palette (1-based). */
  const paintWith = (place: number) => {
    const value = maskValues[place - 1]
    if (value === undefined) return
    setPaintClass(value)
    if (tool === 'eraser' || tool === 'pan') selectTool('brush')
  }
  /** Makes the mask class of this pixel value the one painted, leaving the tool as it is. */
  const preferValue = useCallback((value: number) => setPaintClass(value), [])
  /** One step larger (+1) or smaller (−1) brush, within 1–512 px radius. */
  const resizeBrush = useCallback(
    (step: 1 | -1) =>
      setRadius((r) =>
        step > 0 ? Math.min(512, Math.round(r * 1.25) + 1) : Math.max(1, Math.round(r / 1.25)),
      ),
    [],
  )
  /** Pointer moves of one event (coalesced ones included), timed from the event for the latency record. */
  const strokeTo = (points: Point[], timeStamp: number) => {
    strokeClock.current = timeStamp
    for (const p of points) toolbox.pointerMove(p)
    strokeClock.current = null
  }
  /** Why a press would paint nothing now, or null when it can. */
  const refusal = () =>
    editable.current
      ? null
      : locked
        ? locked
        : reach.inReach
          ? 'The mask is still loading…'
          : `Zoom in to paint: the mask is edited at up to ${MAX_MASK_TILES} tiles on screen`

  return {
    tool,
    selectTool,
    paintClass,
    paintWith,
    preferValue,
    radius,
    setRadius,
    resizeBrush,
    toolbox,
    maskTiles,
    showPreview,
    strokeTo,
    refusal,
    editable: () => editable.current,
    latencies: latencies.current,
  }
}

export type PaintSession = ReturnType<typeof usePaintSession>
