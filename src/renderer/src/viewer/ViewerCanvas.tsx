import type { RefObject } from 'react'
import type { Pyramid } from '../../../shared/contract/viewer'
import type { ImageSummary, MaskClassDef } from '../../../shared/types'
import type { UncertaintyView } from '../loop/useUncertaintyLayer'
import type { HeatmapKey } from './heatmap/HeatmapLegend'
import { heatColourCss } from '../../../shared/heatRamp'
import { STRATEGY_NAMES } from '../../../shared/contract/labellingLoop'
import { MaskLegend } from './MaskLegend'
import { Minimap } from './Minimap'
import { PhysicalScale } from './PhysicalScale'
import { SlideStage, type SlideStageHandle } from './SlideStage'
import type { DrawTile } from './useImageTiles'
import type { Overlay } from './useOverlay'
import type { PaintSession } from './usePaintSession'
import type { usePointerGestures } from './usePointerGestures'
import { probabilityName, type Predictions } from './usePredictions'
import type { Saliency } from './useSaliency'
import type { Tissue } from './useTissue'
import type { Viewport } from './useViewport'

/**
 * The picture: the slide's tiles on the stage with the mask, prediction and heat-map layers over them, the
 * scale bar, the legend and the minimap; pointer input goes to `gestures`.
 */
export function ViewerCanvas({
  viewport,
  stage,
  gestures,
  paint,
  tiles,
  backdrop,
  image,
  pyramid,
  maskClasses,
  maskVisible,
  overlay,
  predictions,
  saliency,
  heat,
  tissue,
}: {
  viewport: Viewport
  stage: RefObject<SlideStageHandle | null>
  gestures: ReturnType<typeof usePointerGestures>
  paint: PaintSession
  tiles: DrawTile[]
  /** The coarsest level's tiles: the minimap's picture. */
  backdrop: DrawTile[]
  image: ImageSummary
  pyramid: Pyramid
  maskClasses: MaskClassDef[]
  maskVisible: boolean
  overlay: Overlay
  predictions: Predictions
  saliency: Saliency
  heat: UncertaintyView
  tissue: Tissue
}) {
  const { view, size } = viewport
  // One heat map at a time (uncertainty over saliency), with its key: the ramp the core coloured it with
  // (shared/heatRamp.ts). Then the tissue mask when asked for.
  const heatLayer =
    heat.layer && heat.visible
      ? {
          key: 'uncertainty',
          canvas: heat.layer.canvas,
          opacity: heat.opacity,
          legend: {
            title: `Uncertainty (${STRATEGY_NAMES[heat.layer.data.strategy]}), run ${heat.layer.data.runId}`,
            colour: heatColourCss,
            ticks: ['least', '', 'most'],
          } satisfies HeatmapKey,
        }
      : saliency.layer
        ? {
            key: 'saliency',
            canvas: saliency.layer.canvas,
            opacity: saliency.opacity,
            legend: {
              title: `Saliency for “${saliency.layer.data.className}”, run ${saliency.layer.data.runId}`,
              colour: heatColourCss,
              ticks: ['none', '', 'most'],
            } satisfies HeatmapKey,
          }
        : null
  const layers = [
    ...(heatLayer ? [{ key: heatLayer.key, canvas: heatLayer.canvas, opacity: heatLayer.opacity }] : []),
    ...(tissue.shown && tissue.found ? [{ key: 'tissue', canvas: tissue.found.canvas, opacity: 1 }] : []),
  ].map((l) => ({ ...l, width: image.width, height: image.height }))
  return (
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
          layers={layers}
          heatmap={predictions.heatmap.shown ? predictions.heatmap : null}
        />
      )}
      <div className="viewer-corner">
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
          heatmaps={[
            ...(predictions.heatmap.shown
              ? [
                  {
                    title: `Probability of ${probabilityName(maskClasses, predictions.heatmap.classValue)}, run ${predictions.run}`,
                  },
                ]
              : []),
            ...(heatLayer ? [heatLayer.legend] : []),
          ]}
        />
      </div>
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
  )
}
