import { useEffect, useRef, useState } from 'react'
import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'
import { ClassBadge } from './ClassBadge'
import { colourMask, indicesFromRgba } from './maskColours'

type MaskDrawState = 'none' | 'loading' | 'ready' | 'error'

/** Decodes the mask PNG (class indices) and paints it, class-coloured, onto the overlay canvas. */
async function drawMask(canvas: HTMLCanvasElement, url: string, classColours: string[]): Promise<void> {
  const img = new Image()
  img.src = url
  await img.decode()
  const { naturalWidth: w, naturalHeight: h } = img
  const scratch = document.createElement('canvas')
  scratch.width = w
  scratch.height = h
  const sctx = scratch.getContext('2d', { willReadFrequently: true })!
  sctx.drawImage(img, 0, 0)
  const indices = indicesFromRgba(sctx.getImageData(0, 0, w, h).data)
  canvas.width = w
  canvas.height = h
  canvas.getContext('2d')!.putImageData(new ImageData(colourMask(indices, w, h, classColours), w, h), 0, 0)
}

/**
 * A simple image page: the picture with its mask overlaid in class colours, its labels and facts.
 * The full viewer (zoom, painting, labelling) lives in src/renderer/src/viewer.
 */
export function MaskOverlayPanel({
  project,
  imageId,
  neighbours,
  onNavigate,
  onClose,
}: {
  project: ProjectInfo
  imageId: number
  /** Ids in grid order, for previous/next. */
  neighbours: number[]
  onNavigate: (imageId: number) => void
  onClose: () => void
}) {
  const [image, setImage] = useState<ImageSummary | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [maskState, setMaskState] = useState<MaskDrawState>('none')
  const [showMask, setShowMask] = useState(true)
  const [opacity, setOpacity] = useState(0.8)
  const canvasRef = useRef<HTMLCanvasElement>(null)

  useEffect(() => {
    let live = true
    client.call('image.get', { id: imageId }).then(
      (img) => live && setImage(img),
      (e: Error) => live && setError(e.message),
    )
    const off = client.onEvent((e) => {
      if (e.type === 'project' && e.imageId === imageId)
        void client.call('image.get', { id: imageId }).then((img) => live && setImage(img))
    })
    return () => {
      live = false
      off()
    }
  }, [imageId])

  const classColours = project.classes.map((c) => c.color).join(',')
  useEffect(() => {
    const canvas = canvasRef.current
    if (!image?.maskBlob || !canvas) {
      setMaskState('none')
      return
    }
    let live = true
    setMaskState('loading')
    drawMask(canvas, client.blobUrl(image.maskBlob), classColours.split(',')).then(
      () => live && setMaskState('ready'),
      () => live && setMaskState('error'),
    )
    return () => {
      live = false
    }
  }, [image?.maskBlob, classColours])

  const at = neighbours.indexOf(imageId)
  const prev = at > 0 ? neighbours[at - 1] : null
  const next = at >= 0 && at < neighbours.length - 1 ? neighbours[at + 1] : null
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return
      if (e.key === 'ArrowLeft' && prev !== null) onNavigate(prev)
      if (e.key === 'ArrowRight' && next !== null) onNavigate(next)
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [prev, next, onNavigate, onClose])

  const classes = new Map(project.classes.map((c) => [c.id, c]))
  return (
    <div className="page image-page" data-testid="image-page">
      <div className="image-toolbar">
        <button type="button" className="button" onClick={onClose}>
          ← All images
        </button>
        <button
          type="button"
          className="button"
          disabled={prev === null}
          onClick={() => prev && onNavigate(prev)}
        >
          Previous
        </button>
        <button
          type="button"
          className="button"
          disabled={next === null}
          onClick={() => next && onNavigate(next)}
        >
          Next
        </button>
        <h2 className="image-title">{image?.name ?? '…'}</h2>
        <label className="toggle">
          <input type="checkbox" checked={showMask} onChange={(e) => setShowMask(e.target.checked)} /> Mask
        </label>
        <label className="toggle">
          Opacity
          <input
            type="range"
            min={0.1}
            max={1}
            step={0.05}
            value={opacity}
            onChange={(e) => setOpacity(Number(e.target.value))}
          />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="image-body">
        <div className="image-stage">
          {image && (
            <div className="image-frame" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
              <img src={client.blobUrl(image.blob)} alt={image.name} />
              <canvas
                ref={canvasRef}
                className="mask-overlay"
                data-testid="mask-overlay"
                data-state={maskState}
                style={{ opacity: showMask ? opacity : 0 }}
              />
            </div>
          )}
        </div>
        {image && (
          <aside className="image-facts card">
            <h3>Labels</h3>
            <div className="badges">
              {image.labels.length ? (
                image.labels.map((id) => {
                  const cls = classes.get(id)
                  return cls ? <ClassBadge key={id} cls={cls} /> : null
                })
              ) : (
                <span className="unlabelled">unlabelled</span>
              )}
            </div>
            <h3>Mask</h3>
            <p className="muted" data-testid="mask-status">
              {maskState === 'none' && 'No mask yet'}
              {maskState === 'loading' && 'Loading…'}
              {maskState === 'ready' && 'Shown in class colours'}
              {maskState === 'error' && 'The mask could not be read'}
            </p>
            <dl className="facts">
              <dt>Size</dt>
              <dd>
                {image.width}×{image.height} px, {image.channels} channels
              </dd>
              <dt>Format</dt>
              <dd>{image.format}</dd>
              <dt>Tiles</dt>
              <dd>{image.tileCount}</dd>
              <dt>Subset</dt>
              <dd>{image.subset ?? image.officialSplit ?? 'not in a split'}</dd>
              <dt>Training set</dt>
              <dd>{image.inTrainingSet ? 'yes: its labels are used' : 'no'}</dd>
            </dl>
            <h3>Classes</h3>
            <ul className="legend">
              {project.classes.map((c, i) => (
                <li key={c.id}>
                  <span className="swatch" style={{ background: c.color }} /> {i + 1} · {c.name}
                </li>
              ))}
            </ul>
          </aside>
        )}
      </div>
    </div>
  )
}
