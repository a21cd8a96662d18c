import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Pyramid, PredictionSummary } from '../../../shared/contract/viewer'
import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'
import { ExportPanel } from '../annotation/ExportPanel'
import { LabelFractionPanel } from '../annotation/LabelFractionPanel'
import { PaintTools, type PaintContext, type ToolName } from '../annotation/paintTools'
import type { Rect } from '../annotation/rect'
import { useMaskSession } from '../annotation/useMaskSession'
import { HelpOverlay } from './HelpOverlay'
import { Minimap } from './Minimap'
import { SlideStage, type MaskDrawTile, type SlideStageHandle } from './SlideStage'
import { useImageTiles } from './useImageTiles'
import {
  actualSizeView,
  fitView,
  screenToImage,
  tilesCovering,
  visibleImageRect,
  zoomAt,
  type View,
} from './viewTransform'
import './viewer.css'

export interface ImageViewProps {
  imageId: number
  onClose(): void
  onNext?(): void
  onPrev?(): void
}

/** Mask tiles shown and editable at once; zoomed out further, the mask waits until you zoom in. */
const MAX_MASK_TILES = 64

const TOOLS: { tool: ToolName; label: string; key: string }[] = [
  { tool: 'pan', label: 'Pan', key: 'V' },
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'fill', label: 'Fill', key: 'G' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
  { tool: 'lasso', label: 'Lasso', key: 'L' },
]

/** Diagnostics the E2E tests and the benchmark read: mask pixels as the viewer holds them, stroke latencies. */
export interface ViewerProbe {
  imageId: number
  maskRect(x: number, y: number, width: number, height: number): number[]
  latencies: number[]
  view(): View | null
  busy(): boolean
  /** Whether the mask on screen is loaded and can be painted. */
  editable(): boolean
  /** Image tiles wanted on screen but not drawn yet. */
  tilesPending(): number
  /** Moves the view (the benchmark pans and zooms with it). */
  setView(v: View): void
  firstPaintMs: number | null
}

declare global {
  interface Window {
    __s4miViewer?: ViewerProbe
  }
}

/** One image: zoom and pan over its tile pyramid, paint its mask, set its labels. */
export function ImageView(props: ImageViewProps) {
  const [project, setProject] = useState<ProjectInfo | null>(null)
  const [image, setImage] = useState<ImageSummary | null>(null)
  const [pyramid, setPyramid] = useState<Pyramid | null>(null)
  const [error, setError] = useState<string | null>(null)
  const opened = useRef(performance.now())
  useEffect(() => {
    let live = true
    opened.current = performance.now()
    setImage(null)
    setPyramid(null)
    setError(null)
    Promise.all([
      client.call('project.info', {}),
      client.call('image.get', { id: props.imageId }),
      client.call('viewer.pyramid', { imageId: props.imageId }),
    ]).then(
      ([p, i, pyr]) => {
        if (!live) return
        setProject(p)
        setImage(i)
        setPyramid(pyr)
      },
      (e: Error) => live && setError(e.message),
    )
    return () => {
      live = false
    }
  }, [props.imageId])
  if (error)
    return (
      <div className="image-view">
        <p className="form-error" role="alert">
          Cannot open image {props.imageId}: {error}
        </p>
        <button type="button" onClick={props.onClose}>
          Back
        </button>
      </div>
    )
  if (!project || !image || !pyramid)
    return (
      <div className="image-view">
        <p className="muted">Opening image…</p>
      </div>
    )
  return (
    <LoadedImageView
      key={image.id}
      {...props}
      project={project}
      image={image}
      setImage={setImage}
      pyramid={pyramid}
      openedAt={opened.current}
    />
  )
}

function LoadedImageView({
  imageId,
  onClose,
  onNext,
  onPrev,
  project,
  image,
  setImage,
  pyramid,
  openedAt,
}: ImageViewProps & {
  project: ProjectInfo
  image: ImageSummary
  setImage(i: ImageSummary): void
  pyramid: Pyramid
  openedAt: number
}) {
  const classes = useMemo(
    () => (project.classes.length > 0 ? project.classes : [{ id: 0, name: 'foreground', color: '#ff3b30' }]),
    [project.classes],
  )
  const colours = useMemo(() => classes.map((c) => c.color), [classes])
  const session = useMaskSession(imageId, image.width, image.height, pyramid.tileSize, colours)
  const [predictions, setPredictions] = useState<PredictionSummary[]>([])
  const [predictionRun, setPredictionRun] = useState<number | null>(null)
  const [predictionVisible, setPredictionVisible] = useState(true)
  const prediction = useMaskSession(
    imageId,
    image.width,
    image.height,
    pyramid.tileSize,
    colours,
    predictionRun ?? 0,
  )

  // Unknown until the layout is measured: fitting to a guessed size would leave the first view wrong.
  const [measured, setSize] = useState<{ width: number; height: number } | null>(null)
  const size = useMemo(() => measured ?? { width: 800, height: 600 }, [measured])
  const [view, setView] = useState<View | null>(null)
  const [tool, setTool] = useState<ToolName>('brush')
  const [paintClass, setPaintClass] = useState(1)
  const [radius, setRadius] = useState(12)
  const [maskVisible, setMaskVisible] = useState(true)
  const [maskOpacity, setMaskOpacity] = useState(0.5)
  const [help, setHelp] = useState(false)
  const [panel, setPanel] = useState<'fraction' | 'export' | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  const container = useRef<HTMLDivElement>(null)
  const stage = useRef<SlideStageHandle>(null)
  const coords = useRef<HTMLSpanElement>(null)
  const viewRef = useRef<View | null>(null)
  viewRef.current = view
  const editableRef = useRef<Rect | null>(null)
  const probe = useRef<ViewerProbe | null>(null)

  useEffect(() => {
    client.call('viewer.predictions', { imageId }).then(setPredictions, () => undefined)
  }, [imageId])

  // The viewport follows the window.
  useEffect(() => {
    const el = container.current
    if (!el) return
    const ro = new ResizeObserver(([e]) => {
      const width = Math.max(50, Math.floor(e.contentRect.width))
      const height = Math.max(50, Math.floor(e.contentRect.height))
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  useEffect(() => {
    if (measured && !viewRef.current)
      setView(fitView(image.width, image.height, measured.width, measured.height))
  }, [measured, image.width, image.height])

  const { tiles, level, loading } = useImageTiles(imageId, pyramid, view, size)
  const pendingTiles = useRef(0)
  pendingTiles.current = loading
  const top = pyramid.levels.length - 1
  const backdrop = useMemo(() => tiles.filter((t) => t.key.startsWith(`${top}/`)), [tiles, top])

  // First paint: the first frame that shows image pixels.
  useEffect(() => {
    if (tiles.length === 0 || !probe.current || probe.current.firstPaintMs !== null) return
    requestAnimationFrame(() => {
      if (probe.current && probe.current.firstPaintMs === null)
        probe.current.firstPaintMs = performance.now() - openedAt
    })
  }, [tiles, openedAt])

  // Mask tiles on screen: load them; edits are allowed only where everything on screen is loaded.
  const visible = view ? visibleImageRect(view, size.width, size.height, image.width, image.height) : null
  const maskCols = Math.ceil(image.width / pyramid.tileSize)
  const maskRows = Math.ceil(image.height / pyramid.tileSize)
  const visibleMaskTiles = useMemo(
    () => (visible ? tilesCovering(visible, 0, pyramid.tileSize, maskCols, maskRows) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [visible?.x, visible?.y, visible?.width, visible?.height, pyramid.tileSize, maskCols, maskRows],
  )
  const maskInReach = visibleMaskTiles.length > 0 && visibleMaskTiles.length <= MAX_MASK_TILES
  const { ensureTiles } = session
  useEffect(() => {
    if (maskInReach) ensureTiles(visibleMaskTiles)
  }, [maskInReach, visibleMaskTiles, ensureTiles])
  const predictionEnsure = prediction.ensureTiles
  useEffect(() => {
    if (maskInReach && predictionRun !== null && predictionVisible) predictionEnsure(visibleMaskTiles)
  }, [maskInReach, visibleMaskTiles, predictionRun, predictionVisible, predictionEnsure])
  editableRef.current = maskInReach && session.allLoaded(visibleMaskTiles) && visible ? visible : null

  // Bumped when a painted tile gets its first canvas, so the mask layer gains its node.
  const [canvasCount, setCanvasCount] = useState(0)
  const drawTiles = useCallback(
    (s: typeof session): MaskDrawTile[] => {
      if (!maskInReach) return []
      const out: MaskDrawTile[] = []
      for (const [tx, ty] of visibleMaskTiles) {
        const canvas = s.canvases.canvas(tx, ty)
        if (canvas)
          out.push({ key: s.mask.key(tx, ty), canvas, x: tx * pyramid.tileSize, y: ty * pyramid.tileSize })
      }
      return out
    },
    [maskInReach, visibleMaskTiles, pyramid.tileSize],
  )
  // Stable between renders unless tiles came or went, so the memoised stage is not redrawn by a status change.
  const { version: maskVersion, canvases: maskCanvases } = session
  const maskTiles = useMemo(
    () => drawTiles(session),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [drawTiles, maskVersion, maskCanvases, canvasCount],
  )
  const { version: predictionVersion, canvases: predictionCanvases } = prediction
  const predictionTiles = useMemo(
    () => (predictionRun !== null ? drawTiles(prediction) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [drawTiles, predictionVersion, predictionCanvases, predictionRun],
  )

  // Painting.
  const measure = useRef<number | null>(null)
  const paintCtx = useRef<PaintContext | null>(null)
  paintCtx.current = {
    mask: session.mask,
    value: paintClass,
    radius,
    editable: () => editableRef.current,
    begin: () => {
      session.mask.beginSnapshot()
      session.autosave.beginStroke()
    },
    changed: () => {
      if (session.canvases.update()) setCanvasCount((n) => n + 1)
      session.autosave.changed()
      const t0 = measure.current
      if (t0 !== null && probe.current) {
        measure.current = null
        // The tile canvas was written above; this frame callback runs when that frame is produced.
        requestAnimationFrame(() => probe.current?.latencies.push(performance.now() - t0))
      }
    },
    end: () => {
      session.mask.endSnapshot()
      session.autosave.endStroke()
    },
    rollback: () => {
      session.mask.rollback()
      if (session.canvases.update()) setCanvasCount((n) => n + 1)
      session.autosave.changed()
      session.autosave.endStroke()
    },
  }
  const tools = useMemo(() => new PaintTools(() => paintCtx.current!), [])
  tools.tool = tool

  useEffect(() => {
    const p: ViewerProbe = {
      imageId,
      maskRect: (x, y, w, h) => [...session.mask.readRect({ x, y, width: w, height: h })],
      latencies: [],
      view: () => viewRef.current,
      busy: () => session.autosave.busy,
      editable: () => editableRef.current !== null,
      tilesPending: () => pendingTiles.current,
      setView,
      firstPaintMs: null,
    }
    probe.current = p
    window.__s4miViewer = p
    return () => {
      if (window.__s4miViewer === p) delete window.__s4miViewer
    }
  }, [imageId, session.mask, session.autosave])

  const drawOverlay = useCallback(
    (pt: { x: number; y: number } | null) => {
      const shape = tools.points.length > 0 ? tools.points.flatMap((q) => [q.x, q.y]) : null
      if (shape && pt && tools.tool === 'polygon') shape.push(pt.x, pt.y)
      const showBrush = pt && (tools.tool === 'brush' || tools.tool === 'eraser')
      stage.current?.drawOverlay(showBrush ? { x: pt.x, y: pt.y, r: radius } : null, shape)
    },
    [tools, radius],
  )

  // Pointer input: pan (middle button, Space, pan tool, two-finger pinch) or the current tool.
  const pan = useRef<{ x: number; y: number } | null>(null)
  const space = useRef(false)
  const touches = useRef(new Map<number, { x: number; y: number }>())
  const local = (e: { clientX: number; clientY: number }) => {
    const b = container.current!.getBoundingClientRect()
    return { x: e.clientX - b.left, y: e.clientY - b.top }
  }
  const onPointerDown = (e: React.PointerEvent) => {
    const v = viewRef.current
    if (!v) return
    container.current?.focus()
    e.currentTarget.setPointerCapture(e.pointerId)
    const s = local(e)
    if (e.pointerType === 'touch') {
      touches.current.set(e.pointerId, s)
      if (touches.current.size === 2) {
        tools.cancel()
        return
      }
    }
    if (e.button === 1 || space.current || tool === 'pan' || e.button === 2) {
      pan.current = s
      return
    }
    if (e.button !== 0) return
    const pt = screenToImage(v, s.x, s.y)
    if (!editableRef.current)
      setMessage(
        maskInReach
          ? 'The mask is still loading…'
          : 'Zoom in to paint: the mask is edited at up to 64 tiles on screen',
      )
    tools.down(pt)
    drawOverlay(pt)
  }
  const onPointerMove = (e: React.PointerEvent) => {
    const v = viewRef.current
    if (!v) return
    const s = local(e)
    if (e.pointerType === 'touch' && touches.current.has(e.pointerId)) {
      const before = [...touches.current.values()]
      touches.current.set(e.pointerId, s)
      if (touches.current.size === 2) {
        const after = [...touches.current.values()]
        const d0 = Math.hypot(before[0].x - before[1].x, before[0].y - before[1].y)
        const d1 = Math.hypot(after[0].x - after[1].x, after[0].y - after[1].y)
        const mx = (after[0].x + after[1].x) / 2
        const my = (after[0].y + after[1].y) / 2
        if (d0 > 0) setView(zoomAt(v, d1 / d0, mx, my))
        return
      }
    }
    if (pan.current) {
      const dx = s.x - pan.current.x
      const dy = s.y - pan.current.y
      pan.current = s
      setView({ ...v, x: v.x + dx, y: v.y + dy })
      return
    }
    const pt = screenToImage(v, s.x, s.y)
    if (coords.current)
      coords.current.textContent =
        pt.x >= 0 && pt.y >= 0 && pt.x < image.width && pt.y < image.height
          ? `x ${Math.floor(pt.x)}, y ${Math.floor(pt.y)}`
          : '—'
    if (tools.state === 'drawing') {
      measure.current = e.timeStamp
      const events = e.nativeEvent.getCoalescedEvents?.() ?? []
      for (const ce of events.length ? events : [e.nativeEvent]) {
        const c = local(ce)
        tools.move(screenToImage(v, c.x, c.y))
      }
      measure.current = null
    }
    drawOverlay(pt)
  }
  const onPointerUp = (e: React.PointerEvent) => {
    touches.current.delete(e.pointerId)
    if (pan.current) {
      pan.current = null
      return
    }
    const v = viewRef.current
    if (!v) return
    const s = local(e)
    tools.up(screenToImage(v, s.x, s.y))
    drawOverlay(screenToImage(v, s.x, s.y))
  }

  // Wheel and trackpad pinch (ctrl+wheel) zoom at the cursor; needs a non-passive listener to keep the page still.
  useEffect(() => {
    const el = container.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const v = viewRef.current
      if (!v) return
      const b = el.getBoundingClientRect()
      const speed = e.ctrlKey ? 0.01 : 0.0015
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY
      setView(zoomAt(v, Math.exp(-dy * speed), e.clientX - b.left, e.clientY - b.top))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [])

  const setLabels = useCallback(
    (classIds: number[] | null) => {
      client.call('labels.set', { imageId, classIds }).then(setImage, (e: Error) => setMessage(e.message))
    },
    [imageId, setImage],
  )
  const toggleLabel = useCallback(
    (classId: number) => {
      if (project.labelMode === 'multi-class') setLabels([classId])
      else
        setLabels(
          image.labels.includes(classId)
            ? image.labels.filter((c) => c !== classId)
            : [...image.labels, classId],
        )
    },
    [project.labelMode, image.labels, setLabels],
  )

  const fit = useCallback(
    () => setView(fitView(image.width, image.height, size.width, size.height)),
    [image, size],
  )
  const zoomCentre = useCallback(
    (factor: number) => setView((v) => v && zoomAt(v, factor, size.width / 2, size.height / 2)),
    [size],
  )

  // Keyboard.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target
      // Typing goes to text fields and choices; after a slider, checkbox or button the shortcuts work again.
      const typing =
        t instanceof HTMLTextAreaElement ||
        t instanceof HTMLSelectElement ||
        (t instanceof HTMLInputElement && !['range', 'checkbox', 'button'].includes(t.type))
      if (typing && e.key !== 'Escape') return
      const ctrl = e.ctrlKey || e.metaKey
      const k = e.key.toLowerCase()
      const digit = /^(Digit|Numpad)([0-9])$/.exec(e.code)
      if (ctrl && k === 'z') {
        e.preventDefault()
        void (e.shiftKey ? session.redo() : session.undo())
        return
      }
      if (ctrl && k === 'y') {
        e.preventDefault()
        void session.redo()
        return
      }
      if (ctrl || e.altKey) return
      if (e.key === ' ') {
        space.current = true
        e.preventDefault()
        return
      }
      if (digit) {
        const n = Number(digit[2])
        e.preventDefault()
        if (e.shiftKey) {
          if (n >= 1 && n <= classes.length) {
            setPaintClass(n)
            if (tool === 'eraser' || tool === 'pan') setTool('brush')
          }
        } else if (n === 0) setLabels(null)
        else if (project.classes[n - 1]) toggleLabel(project.classes[n - 1].id)
        return
      }
      const step = 0.1 * Math.min(size.width, size.height)
      switch (e.key) {
        case 'Escape':
          if (tools.cancel()) drawOverlay(null)
          else if (help) setHelp(false)
          else if (panel) setPanel(null)
          else onClose()
          return
        case 'Enter':
          if (tools.tool === 'polygon') {
            tools.finishShape()
            drawOverlay(null)
          }
          return
        case '?':
          setHelp((h) => !h)
          return
        case '+':
        case '=':
          zoomCentre(1.25)
          return
        case '-':
        case '_':
          zoomCentre(0.8)
          return
        case 'ArrowLeft':
        case 'ArrowRight':
        case 'ArrowUp':
        case 'ArrowDown': {
          e.preventDefault()
          const dx = e.key === 'ArrowLeft' ? step : e.key === 'ArrowRight' ? -step : 0
          const dy = e.key === 'ArrowUp' ? step : e.key === 'ArrowDown' ? -step : 0
          setView((v) => v && { ...v, x: v.x + dx, y: v.y + dy })
          return
        }
        case '[':
          setRadius((r) => Math.max(1, Math.round(r / 1.25)))
          return
        case ']':
          setRadius((r) => Math.min(512, Math.round(r * 1.25) + 1))
          return
      }
      switch (k) {
        case 'f':
          fit()
          return
        case 'o':
          setView((v) => v && actualSizeView(v, size.width / 2, size.height / 2))
          return
        case 'v':
          setTool('pan')
          return
        case 'b':
          setTool('brush')
          return
        case 'e':
          setTool('eraser')
          return
        case 'g':
          setTool('fill')
          return
        case 'p':
          setTool('polygon')
          return
        case 'l':
          setTool('lasso')
          return
        case 'm':
          setMaskVisible((m) => !m)
          return
        case 't':
          setPredictionVisible((m) => !m)
          return
        case 'n':
          void session.autosave.flush()
          if (e.shiftKey) onPrev?.()
          else onNext?.()
          return
      }
    }
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === ' ') space.current = false
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('keyup', onKeyUp)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('keyup', onKeyUp)
    }
  }, [
    session,
    classes.length,
    project.classes,
    tool,
    tools,
    help,
    panel,
    onClose,
    onNext,
    onPrev,
    size,
    fit,
    zoomCentre,
    setLabels,
    toggleLabel,
    drawOverlay,
  ])

  useEffect(() => drawOverlay(null), [tool, drawOverlay])

  const saveText =
    session.status.state === 'error'
      ? `Not saved: ${session.status.message} (retrying)`
      : session.status.state === 'saved'
        ? 'All changes saved'
        : 'Saving…'
  const labelNames = project.classes.filter((c) => image.labels.includes(c.id))

  return (
    <div className="image-view" data-testid="image-view">
      <header className="viewer-toolbar">
        <button type="button" onClick={onClose} title="Close (Esc)">
          ← Images
        </button>
        <button type="button" onClick={onPrev} disabled={!onPrev} title="Previous image (Shift+N)">
          Previous
        </button>
        <button type="button" onClick={onNext} disabled={!onNext} title="Next image (N)">
          Next
        </button>
        <h1 className="viewer-title">{image.name}</h1>
        <span className="viewer-badges" aria-label="Image labels">
          {labelNames.length === 0 ? (
            <span className="badge muted">{image.labelled ? 'none of the classes' : 'unlabelled'}</span>
          ) : (
            labelNames.map((c) => (
              <span key={c.id} className="badge" style={{ background: c.color }}>
                {c.name}
              </span>
            ))
          )}
          {image.inTrainingSet && <span className="badge training">in training set</span>}
        </span>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => void session.undo()}
          disabled={!session.state || session.state.undo === 0}
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => void session.redo()}
          disabled={!session.state || session.state.redo === 0}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
        <button type="button" onClick={fit} title="Fit (F)">
          Fit
        </button>
        <button
          type="button"
          onClick={() => setView((v) => v && actualSizeView(v, size.width / 2, size.height / 2))}
          title="Actual size (O)"
        >
          1:1
        </button>
        <button
          type="button"
          onClick={() => setPanel(panel === 'fraction' ? null : 'fraction')}
          aria-pressed={panel === 'fraction'}
        >
          Label fraction
        </button>
        <button
          type="button"
          onClick={() => setPanel(panel === 'export' ? null : 'export')}
          aria-pressed={panel === 'export'}
        >
          Export
        </button>
        <button type="button" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      <div className="viewer-body">
        <div
          ref={container}
          className={`viewer-canvas tool-${tool}`}
          tabIndex={0}
          data-testid="viewer-canvas"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onPointerLeave={() => drawOverlay(null)}
          onDoubleClick={() => {
            if (tools.tool === 'polygon') {
              tools.finishShape()
              drawOverlay(null)
            }
          }}
          onContextMenu={(e) => e.preventDefault()}
        >
          {view && (
            <SlideStage
              ref={stage}
              width={size.width}
              height={size.height}
              view={view}
              tiles={tiles}
              maskTiles={maskTiles}
              maskVisible={maskVisible}
              maskOpacity={maskOpacity}
              predictionTiles={predictionTiles}
              predictionVisible={predictionVisible}
            />
          )}
          {view && backdrop.length > 0 && (
            <Minimap
              imageWidth={image.width}
              imageHeight={image.height}
              backdrop={backdrop}
              view={view}
              viewport={size}
              onCentre={(x, y) =>
                setView(
                  (v) => v && { ...v, x: size.width / 2 - x * v.scale, y: size.height / 2 - y * v.scale },
                )
              }
            />
          )}
          {help && <HelpOverlay onClose={() => setHelp(false)} />}
        </div>
        <aside className="viewer-side">
          <section aria-label="Tools">
            <h2>Tools</h2>
            <div className="tool-row">
              {TOOLS.map((t) => (
                <button
                  key={t.tool}
                  type="button"
                  aria-pressed={tool === t.tool}
                  onClick={() => setTool(t.tool)}
                  title={`${t.label} (${t.key})`}
                >
                  {t.label}
                </button>
              ))}
            </div>
            <label>
              Brush {radius * 2} px{' '}
              <input
                type="range"
                min={1}
                max={256}
                value={radius}
                aria-label="Brush size"
                onChange={(e) => setRadius(Number(e.target.value))}
              />
            </label>
          </section>
          <section aria-label="Mask classes">
            <h2>Paint class</h2>
            <ul className="class-list">
              {classes.map((c, i) => (
                <li key={c.id}>
                  <button
                    type="button"
                    aria-pressed={paintClass === i + 1 && tool !== 'eraser'}
                    onClick={() => {
                      setPaintClass(i + 1)
                      if (tool === 'eraser' || tool === 'pan') setTool('brush')
                    }}
                    title={i < 9 ? `Shift+${i + 1}` : undefined}
                  >
                    <span className="swatch" style={{ background: c.color }} /> {c.name}
                  </button>
                </li>
              ))}
            </ul>
            <label>
              <input
                type="checkbox"
                checked={maskVisible}
                onChange={(e) => setMaskVisible(e.target.checked)}
              />{' '}
              Show mask (M)
            </label>
            <label>
              Opacity{' '}
              <input
                type="range"
                min={0}
                max={100}
                value={Math.round(maskOpacity * 100)}
                aria-label="Mask opacity"
                onChange={(e) => setMaskOpacity(Number(e.target.value) / 100)}
              />
            </label>
          </section>
          <section aria-label="Image labels">
            <h2>Image labels ({project.labelMode === 'multi-class' ? 'one of' : 'any of'})</h2>
            <div className="label-row">
              {project.classes.map((c, i) => (
                <button
                  key={c.id}
                  type="button"
                  aria-pressed={image.labels.includes(c.id)}
                  onClick={() => toggleLabel(c.id)}
                  title={i < 9 ? `Key ${i + 1}` : undefined}
                >
                  <span className="swatch" style={{ background: c.color }} /> {c.name}
                </button>
              ))}
              <button type="button" onClick={() => setLabels(null)} title="Key 0" disabled={!image.labelled}>
                Clear
              </button>
            </div>
          </section>
          {predictions.length > 0 && (
            <section aria-label="Predictions">
              <h2>Predictions</h2>
              <select
                value={predictionRun ?? ''}
                aria-label="Prediction run"
                onChange={(e) => setPredictionRun(e.target.value ? Number(e.target.value) : null)}
              >
                <option value="">None</option>
                {predictions.map((p) => (
                  <option key={p.runId} value={p.runId}>
                    Run {p.runId} ({p.method})
                  </option>
                ))}
              </select>
              <label>
                <input
                  type="checkbox"
                  checked={predictionVisible}
                  onChange={(e) => setPredictionVisible(e.target.checked)}
                />{' '}
                Show (T)
              </label>
              <button
                type="button"
                disabled={predictionRun === null}
                onClick={() => predictionRun !== null && void session.acceptPrediction(predictionRun)}
              >
                Accept as mask, then correct
              </button>
            </section>
          )}
          {panel === 'fraction' && <LabelFractionPanel />}
          {panel === 'export' && (
            <ExportPanel onImported={() => void client.call('image.get', { id: imageId }).then(setImage)} />
          )}
        </aside>
      </div>
      <footer className="viewer-status" role="status">
        <span ref={coords}>—</span>
        <span data-testid="zoom">{view ? `${Math.round(view.scale * 1000) / 10} %` : ''}</span>
        <span>level {level}</span>
        <span>
          {image.width} × {image.height}
        </span>
        <span data-testid="save-status">{saveText}</span>
        <span>
          undo {session.state?.undo ?? 0} · redo {session.state?.redo ?? 0}
        </span>
        {!maskInReach && <span>Zoom in to see and paint the mask</span>}
        {(message || session.error) && <span className="form-error">{session.error ?? message}</span>}
      </footer>
    </div>
  )
}
