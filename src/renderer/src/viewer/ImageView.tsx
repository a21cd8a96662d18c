import { useEffect, useMemo, useRef, useState } from 'react'
import type { Pyramid } from '../../../shared/contract/viewer'
import type { ImageSummary, MaskRevision, ProjectInfo } from '../../../shared/types'
import { useMaskSession } from '../annotation/useMaskSession'
import { viewerActions } from './actions/registry'
import type { SidePanel, ViewerCommands } from './actions/types'
import { MaskLegend } from './MaskLegend'
import { Minimap } from './Minimap'
import { PhysicalScale } from './PhysicalScale'
import { ShortcutsSheet } from './ShortcutsSheet'
import { ViewerSidebar } from './sidebar/ViewerSidebar'
import { SlideStage, type SlideStageHandle } from './SlideStage'
import { useActionKeys } from './useActionKeys'
import { useMenuActions } from './useMenuActions'
import { useImageLabels } from './useImageLabels'
import { useImageRecord } from './useImageRecord'
import { useImageTiles } from './useImageTiles'
import { useMaskReach } from './useMaskReach'
import { usePaintSession } from './usePaintSession'
import { usePointerGestures } from './usePointerGestures'
import { probabilityName, usePredictions } from './usePredictions'
import { useSaliency } from './useSaliency'
import { LabellingQueueSection, type QueuePlace } from '../loop/LabellingQueueSection'
import { useUncertaintyLayer } from '../loop/useUncertaintyLayer'
import { useTissue } from './useTissue'
import { useViewerProbe } from './useViewerProbe'
import { useOverlay } from './useOverlay'
import { useViewport } from './useViewport'
import { ViewerStatus } from './ViewerStatus'
import { UndoPastFirstDialog } from './UndoPastFirstDialog'
import { ViewerToolbar } from './ViewerToolbar'
import './viewer.css'

export interface ImageViewProps {
  imageId: number
  /** A run whose prediction is shown over the image when it opens. */
  runId?: number
  /** The labelling queue this image is reviewed in, if any. */
  queue?: QueuePlace | null
  onClose(): void
  onNext?(): void
  onPrev?(): void
}

/** One image: zoom and pan over its tile pyramid, paint its mask, set its labels. */
export function ImageView(props: ImageViewProps) {
  const { project, setProject, image, setImage, pyramid, error, openedAt } = useImageRecord(props.imageId)
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
      updateProject={(patch) => setProject({ ...project, ...patch })}
      image={image}
      setImage={setImage}
      pyramid={pyramid}
      openedAt={openedAt}
    />
  )
}

/** The viewer once the image is known: its parts (hooks below) wired to the actions, the stage and the panels. */
function LoadedImageView({
  imageId,
  runId,
  queue,
  onClose,
  onNext,
  onPrev,
  project,
  updateProject,
  image,
  setImage,
  pyramid,
  openedAt,
}: ImageViewProps & {
  project: ProjectInfo
  updateProject(patch: Partial<ProjectInfo>): void
  image: ImageSummary
  setImage(i: ImageSummary): void
  pyramid: Pyramid
  openedAt: number
}) {
  // The palette is the mask classes (what a pixel is); the image labels (diagnoses) are chips apart.
  const { maskClasses } = project
  const maskValues = useMemo(() => maskClasses.map((m) => m.value), [maskClasses])
  /** Overlay colour per pixel value (value k at k − 1); a value no class has stays '' and shows magenta. */
  const colours = useMemo(() => {
    const out: string[] = Array.from({ length: Math.max(0, ...maskValues) }, () => '')
    for (const m of maskClasses) out[m.value - 1] = m.color
    return out
  }, [maskClasses, maskValues])
  const session = useMaskSession(imageId, image.width, image.height, pyramid.tileSize, colours)
  const [maskVisible, setMaskVisible] = useState(true)
  const [help, setHelp] = useState(false)
  const [panel, setPanel] = useState<SidePanel | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [undoPastFirst, setUndoPastFirst] = useState<MaskRevision | null>(null)
  const stage = useRef<SlideStageHandle>(null)

  const viewport = useViewport(image.width, image.height)
  const { view, size } = viewport
  const overlay = useOverlay(view?.scale ?? 1)
  const { canvases } = session
  useEffect(() => canvases.setStyle(overlay.mask), [canvases, overlay.mask])
  const { tiles, level, loading } = useImageTiles(imageId, pyramid, view, size)
  const top = pyramid.levels.length - 1
  const backdrop = useMemo(() => tiles.filter((t) => t.key.startsWith(`${top}/`)), [tiles, top])
  const reach = useMaskReach(view, size, image, pyramid.tileSize)
  const subset = image.subset ?? image.officialSplit
  const locked =
    project.lockEvaluationMasks && (subset === 'val' || subset === 'test')
      ? `This ${subset === 'test' ? 'test' : 'validation'} image's mask is evaluation ground truth, locked by the project setting`
      : null
  const paint = usePaintSession(session, reach, maskValues, stage, {
    locked,
    scale: view?.scale,
    notice: setMessage,
  })
  // The default paint class follows the image's label where that mapping is known (a melanoma → lesion).
  const { preferValue } = paint
  const labelKey = image.labels.join(',')
  useEffect(() => {
    const linked = project.classes.find((c) => image.labels.includes(c.id) && c.maskClassId)?.maskClassId
    const value = maskClasses.find((m) => m.id === linked)?.value
    if (value !== undefined) preferValue(value)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labelKey, maskClasses, project.classes, preferValue])
  const predictions = usePredictions(imageId, image, colours, reach, session, overlay, runId)
  const saliency = useSaliency(imageId)
  const heat = useUncertaintyLayer(
    imageId,
    queue?.runId ?? null,
    queue && queue.strategy !== 'random' ? queue.strategy : null,
  )
  const tissue = useTissue(imageId)
  const labels = useImageLabels(project, image, setImage, setMessage)
  const gestures = usePointerGestures(viewport, paint, image, setMessage)
  useViewerProbe(imageId, session, viewport, paint, { drawn: tiles.length, loading }, openedAt)

  const { toolbox } = paint
  const v: ViewerCommands = {
    fit: viewport.fit,
    actualSize: viewport.actualSize,
    zoomBy: viewport.zoomBy,
    look: viewport.look,
    tool: paint.tool,
    selectTool: paint.selectTool,
    get shapeInProgress() {
      return toolbox.busy
    },
    finishShape: () => {
      if (toolbox.complete()) paint.showPreview(null)
    },
    cancelShape: () => {
      if (toolbox.cancel()) paint.showPreview(null)
    },
    resizeBrush: paint.resizeBrush,
    paintWith: paint.paintWith,
    paintClassCount: maskClasses.length,
    canUndo: !!session.state && session.state.undo > 0,
    canRedo: !!session.state && session.state.redo > 0,
    // Undo never goes past the imported or first-saved mask without saying so.
    undo: () => {
      const head = session.state?.head
      if (head && (head.kind === 'import' || head.parentId === null)) setUndoPastFirst(head)
      else void session.undo()
    },
    redo: () => void session.redo(),
    toggleLabel: (place) => {
      const c = project.classes[place - 1]
      if (c) labels.toggle(c.id)
    },
    clearLabels: labels.clear,
    labelled: image.labelled,
    maskVisible,
    toggleMask: () => setMaskVisible((m) => !m),
    predictionVisible: predictions.visible,
    togglePrediction: () => predictions.setVisible((m) => !m),
    close: onClose,
    // Leaving the image: its pending saves go now.
    next:
      onNext &&
      (() => {
        void session.autosave.flush()
        onNext()
      }),
    previous:
      onPrev &&
      (() => {
        void session.autosave.flush()
        onPrev()
      }),
    help,
    toggleHelp: () => setHelp((h) => !h),
    panel,
    togglePanel: (p) => setPanel((cur) => (cur === p ? null : p)),
    closePanel: () => setPanel(null),
  }
  useActionKeys(viewerActions, v)
  useMenuActions(viewerActions, v)

  return (
    <div className="image-view" data-testid="image-view">
      <ViewerToolbar image={image} project={project} v={v} />
      <div className="viewer-body">
        <div
          ref={viewport.container}
          className={`viewer-canvas tool-${paint.tool}`}
          tabIndex={0}
          data-testid="viewer-canvas"
          {...gestures.handlers}
        >
          {view && (
            <SlideStage
              ref={stage}
              width={size.width}
              height={size.height}
              view={view}
              tiles={tiles}
              maskTiles={paint.maskTiles}
              maskVisible={maskVisible}
              maskOpacity={1}
              predictionTiles={predictions.tiles}
              predictionVisible={predictions.visible}
              layers={[
                ...(heat.layer && heat.visible
                  ? [{ key: 'uncertainty', canvas: heat.layer.canvas, opacity: heat.opacity }]
                  : saliency.layer
                    ? [{ key: 'saliency', canvas: saliency.layer.canvas, opacity: saliency.opacity }]
                    : []),
                ...(tissue.shown && tissue.found
                  ? [{ key: 'tissue', canvas: tissue.found.canvas, opacity: 1 }]
                  : []),
              ].map((l) => ({ ...l, width: image.width, height: image.height }))}
              heatmap={predictions.heatmap.shown ? predictions.heatmap : null}
            />
          )}
          {view && (
            <PhysicalScale
              physical={pyramid.physical}
              scale={view.scale}
              onZoom={(scale) => viewport.zoomBy(scale / view.scale)}
            />
          )}
          <MaskLegend
            maskClasses={maskClasses}
            hidden={overlay.hidden}
            mode={overlay.mode}
            prediction={
              predictions.run !== null && predictions.visible && predictions.view === 'prediction'
                ? { label: `prediction, run ${predictions.run}`, mode: overlay.predictionMode }
                : null
            }
            heatmap={
              predictions.heatmap.shown
                ? `Probability of ${probabilityName(maskClasses, predictions.heatmap.classValue)}, run ${predictions.run}`
                : null
            }
          />
          {view && backdrop.length > 0 && (
            <Minimap
              imageWidth={image.width}
              imageHeight={image.height}
              backdrop={backdrop}
              view={view}
              viewport={size}
              onCentre={viewport.centreOn}
            />
          )}
        </div>
        <ViewerSidebar
          v={v}
          project={project}
          image={image}
          setImage={setImage}
          maskClasses={maskClasses}
          updateProject={updateProject}
          paint={paint}
          overlay={overlay}
          predictions={predictions}
          saliency={saliency}
          queue={queue ? <LabellingQueueSection q={queue} heat={heat} /> : null}
          tissue={tissue}
        />
      </div>
      <ViewerStatus
        coords={gestures.coords}
        view={view}
        level={level}
        image={image}
        session={session}
        maskInReach={reach.inReach}
        message={message}
      />
      {undoPastFirst && (
        <UndoPastFirstDialog
          head={undoPastFirst}
          onUndo={() => void session.undo(true)}
          onClose={() => setUndoPastFirst(null)}
        />
      )}
      {help && <ShortcutsSheet actions={viewerActions} onClose={() => setHelp(false)} />}
    </div>
  )
}
