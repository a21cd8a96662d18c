import type Konva from 'konva'
import { forwardRef, memo, useImperativeHandle, useRef } from 'react'
import { Circle, Image as KImage, Layer, Line, Stage } from 'react-konva'
import type { DrawTile } from './useImageTiles'
import type { View } from './viewTransform'

export interface MaskDrawTile {
  key: number
  canvas: HTMLCanvasElement
  x: number
  y: number
}

export interface SlideStageHandle {
  /** Redraws the mask layer (after pixels changed), without a React render. */
  drawMask(): void
  /** Moves the brush cursor and the shape preview (image coordinates), without a React render. */
  drawOverlay(cursor: { x: number; y: number; r: number } | null, shape: number[] | null): void
}

/**
 * The drawing surface, in static and interactive layers as Excalidraw does: image tiles, the mask, the
 * prediction overlay, and a light overlay for the brush cursor and shape preview that moves on every pointer
 * event without re-rendering the rest. Listening is off: pointer input is handled by the viewer around it.
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
    }
  >(function SlideStage(p, ref) {
    const maskLayer = useRef<Konva.Layer>(null)
    const overlayLayer = useRef<Konva.Layer>(null)
    const cursor = useRef<Konva.Circle>(null)
    const shape = useRef<Konva.Line>(null)
    useImperativeHandle(ref, () => ({
      drawMask: () => maskLayer.current?.batchDraw(),
      drawOverlay(c, s) {
        if (cursor.current) {
          cursor.current.visible(!!c)
          if (c) cursor.current.setAttrs({ x: c.x, y: c.y, radius: c.r })
        }
        if (shape.current) {
          shape.current.visible(!!s)
          if (s) shape.current.points(s)
        }
        overlayLayer.current?.batchDraw()
      },
    }))
    const smooth = p.view.scale < 2
    const hair = 1.5 / p.view.scale
    return (
      <Stage
        width={p.width}
        height={p.height}
        scaleX={p.view.scale}
        scaleY={p.view.scale}
        x={p.view.x}
        y={p.view.y}
        listening={false}
      >
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
        <Layer
          ref={maskLayer}
          imageSmoothingEnabled={false}
          visible={p.maskVisible}
          opacity={p.maskOpacity}
          listening={false}
        >
          {p.maskTiles.map((t) => (
            <KImage key={t.key} image={t.canvas} x={t.x} y={t.y} listening={false} />
          ))}
        </Layer>
        <Layer imageSmoothingEnabled={false} visible={p.predictionVisible} opacity={0.45} listening={false}>
          {p.predictionTiles.map((t) => (
            <KImage key={t.key} image={t.canvas} x={t.x} y={t.y} listening={false} />
          ))}
        </Layer>
        <Layer ref={overlayLayer} listening={false}>
          <Circle
            ref={cursor}
            visible={false}
            stroke="#ffffff"
            strokeWidth={hair}
            shadowColor="#000"
            shadowBlur={2}
            listening={false}
          />
          <Line
            ref={shape}
            visible={false}
            stroke="#ffeb3b"
            strokeWidth={hair}
            dash={[6 / p.view.scale, 4 / p.view.scale]}
            listening={false}
          />
        </Layer>
      </Stage>
    )
  }),
)
