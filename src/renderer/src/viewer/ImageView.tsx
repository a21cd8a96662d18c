import { useEffect, useMemo, useRef, useState } from 'react'
import type { Pyramid } from '../../../shared/contract/viewer'
import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { useMaskSession } from '../annotation/useMaskSession'
import { viewerActions } from './actions/registry'
import { ShortcutsSheet } from './ShortcutsSheet'
import { ViewerSidebar } from './sidebar/ViewerSidebar'
import type { SlideStageHandle } from './SlideStage'
import { useActionKeys } from './useActionKeys'
import { useMenuActions } from './useMenuActions'
import { useImageLabels } from './useImageLabels'
import { useImageRecord } from './useImageRecord'
import { useImageTiles } from './useImageTiles'
import { useLabelPaintClass } from './useLabelPaintClass'
import { useMaskPalette } from './useMaskPalette'
import { useMaskReach } from './useMaskReach'
import { usePaintSession } from './usePaintSession'
import { usePointerGestures } from './usePointerGestures'
import { usePredictions } from './usePredictions'
import { useSaliency } from './useSaliency'
import { LabellingQueueSection, type QueuePlace } from '../loop/LabellingQueueSection'
import { useUncertaintyLayer } from '../loop/useUncertaintyLayer'
import { useTissue } from './useTissue'
import { useViewerCommands } from './useViewerCommands'
import { useViewerProbe } from './useViewerProbe'
import { useOverlay } from './useOverlay'
import { useViewport } from './useViewport'
import { ViewerCanvas } from './ViewerCanvas'
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
  const { maskClasses } = project
  const palette = useMaskPalette(maskClasses)
  const session = useMaskSession(imageId, image.width, image.height, pyramid.tileSize, palette.colours)
  const [message, setMessage] = useState<string | null>(null)
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
  const paint = usePaintSession(session, reach, palette.values, stage, {
    locked,
    scale: view?.scale,
    notice: setMessage,
  })
  useLabelPaintClass(project, image, maskClasses, paint.preferValue)
  const predictions = usePredictions(imageId, image, palette.colours, reach, session, overlay, runId)
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

  const { v, undoPastFirst, closeUndoPastFirst, closeHelp } = useViewerCommands({
    viewport,
    paint,
    session,
    predictions,
    project,
    image,
    paintClassCount: maskClasses.length,
    labels,
    onClose,
    onNext,
    onPrev,
  })
  useActionKeys(viewerActions, v)
  useMenuActions(viewerActions, v)

  return (
    <div className="image-view" data-testid="image-view">
      <ViewerToolbar image={image} project={project} v={v} />
      <div className="viewer-body">
        <ViewerCanvas
          viewport={viewport}
          stage={stage}
          gestures={gestures}
          paint={paint}
          tiles={tiles}
          backdrop={backdrop}
          image={image}
          pyramid={pyramid}
          maskClasses={maskClasses}
          maskVisible={v.maskVisible}
          overlay={overlay}
          predictions={predictions}
          saliency={saliency}
          heat={heat}
          tissue={tissue}
        />
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
          onClose={closeUndoPastFirst}
        />
      )}
      {v.help && <ShortcutsSheet actions={viewerActions} onClose={closeHelp} />}
    </div>
  )
}
