import type Konva from 'konva'
import { forwardRef, memo, useImperativeHandle, useLayoutEffect, useRef } from 'react'
import { Image as KImage, Layer, Line, Shape, Stage } from 'react-konva'
import { placeBrushCursor, type BrushCircle } from './brushCursor'
import { MaskCanvasLayer, type MaskDrawTile } from './MaskCanvasLayer'
import { HeatmapLayer, type HeatmapTile } from './heatmap/HeatmapLayer'
import type { DrawTile } from './useImageTiles'
import type { View } from './viewTransform'

export type { MaskDrawTile }

export interface SlideStageHandle {
  /** Moves the brush cursor, the shape preview and its vertex handles (image coordinates), without a React render. */
  drawOverlay(
    cursor: BrushCircle | null,
    shape: number[] | null,
    vertices?: readonly { x: number; y: number }[] | null,
  ): void
}

/**
 * The drawing surface, in static and interactive layers as Excalidraw does: a Konva stage of image tiles,
 * the mask and prediction tiles as their own canvases (see MaskCanvasLayer), a light Konva overlay for the
 * shape preview, and the brush circle as a page element the compositor moves (a brush stroke redraws no
 * overlay canvas at all).
 * Listening is off: pointer input is handled by the viewer around it.
 */
// Memoised: status-bar updates and saves must not redraw the image layer under a stroke.
export const SlideStage = memo(
  forwardRef<
    SlideStageHandle,
    {
      width: number
      height: number
      view: View
      tiles: DrawTile[]
      maskTiles: MaskDrawTile[]
      maskVisible: boolean
      maskOpacity: number
      predictionTiles: MaskDrawTile[]
      predictionVisible: boolean
      /** Maps stretched over the whole image (a saliency map, the tissue mask), each with its opacity. */
      layers: { key: string; canvas: HTMLCanvasElement; width: number; height: number; opacity: number }[]
      /** A prediction's probability heatmap (null: none shown), under the annotation so its outlines stay on top. */
      heatmap: { tiles: HeatmapTile[]; opacity: number } | null
    }
  >(function SlideStage(p, ref) {
    const overlayLayer = useRef<Konva.Layer>(null)
    const cursor = useRef<HTMLDivElement>(null)
    const cursorAt = useRef<BrushCircle | null>(null)
    const shape = useRef<Konva.Line>(null)
    const handles = useRef<Konva.Shape>(null)
    const handlePoints = useRef<readonly { x: number; y: number }[]>([])
    /** Whether the overlay canvas holds a shape or handles (else there is nothing to redraw or clear). */
    const overlayShown = useRef(false)
    const overlayHost = useRef<HTMLDivElement>(null)
    const view = useRef(p.view)
    view.current = p.view
    useImperativeHandle(ref, () => ({
      drawOverlay(c, s, v) {
        cursorAt.current = c
        if (cursor.current) placeBrushCursor(cursor.current, c, view.current)
        handlePoints.current = v ?? []
        const shown = !!s || handlePoints.current.length > 0
        if (!shown && !overlayShown.current) return
        overlayShown.current = shown
        // An empty overlay is taken out of the picture, so the compositor does not blend a blank canvas
        // over the view in every frame of a brush stroke.
        if (overlayHost.current) overlayHost.current.style.visibility = shown ? 'visible' : 'hidden'
        handles.current?.visible(handlePoints.current.length > 0)
        if (shape.current) {
          shape.current.visible(!!s)
          if (s) shape.current.points(s)
        }
        overlayLayer.current?.batchDraw()
      },
    }))
    // The circle follows the view when it zooms or pans under a still pointer.
    useLayoutEffect(() => {
      if (cursor.current) placeBrushCursor(cursor.current, cursorAt.current, p.view)
    }, [p.view])
    const smooth = p.view.scale < 2
    const hair = 1.5 / p.view.scale
    const stageProps = {
      width: p.width,
      height: p.height,
      scaleX: p.view.scale,
      scaleY: p.view.scale,
      x: p.view.x,
      y: p.view.y,
      listening: false,
    }
    return (
      <div style={{ position: 'absolute', inset: 0, overflow: 'hidden' }}>
        <Stage {...stageProps}>
          <Layer imageSmoothingEnabled={smooth} listening={false}>
            {p.tiles.map((t) => (
              <KImage
                key={t.key}
                image={t.image}
                x={t.x}
                y={t.y}
                width={t.width}
                height={t.height}
                listening={false}
              />
            ))}
          </Layer>
          {p.layers.map((l) => (
            <Layer key={l.key} listening={false} opacity={l.opacity}>
              <KImage image={l.canvas} x={0} y={0} width={l.width} height={l.height} listening={false} />
            </Layer>
          ))}
        </Stage>
        {p.heatmap && (
          <HeatmapLayer
            label="Probability heatmap layer"
            tiles={p.heatmap.tiles}
            view={p.view}
            opacity={p.heatmap.opacity}
          />
        )}
        <MaskCanvasLayer
          label="Mask layer"
          tiles={p.maskTiles}
          view={p.view}
          visible={p.maskVisible}
          opacity={p.maskOpacity}
        />
        <MaskCanvasLayer
          label="Prediction layer"
          tiles={p.predictionTiles}
          view={p.view}
          visible={p.predictionVisible}
          opacity={1}
        />
        <div
          ref={overlayHost}
          style={{ position: 'absolute', inset: 0, pointerEvents: 'none', visibility: 'hidden' }}
        >
          <Stage {...stageProps}>
            <Layer ref={overlayLayer} listening={false}>
              <Line
                ref={shape}
                visible={false}
                stroke="#ffeb3b"
                strokeWidth={hair}
                dash={[6 / p.view.scale, 4 / p.view.scale]}
                listening={false}
              />
              <Shape
                ref={handles}
                visible={false}
                listening={false}
                fill="#ffeb3b"
                stroke="#000000"
                strokeWidth={hair / 1.5}
                sceneFunc={(ctx, node) => {
                  // A square handle, 7 screen pixels wide, on each vertex.
                  const half = 3.5 / p.view.scale
                  ctx.beginPath()
                  for (const q of handlePoints.current) ctx.rect(q.x - half, q.y - half, 2 * half, 2 * half)
                  ctx.fillStrokeShape(node)
                }}
              />
            </Layer>
          </Stage>
        </div>
        <div ref={cursor} className="brush-cursor" data-testid="brush-cursor" />
      </div>
    )
  }),
)
