import type { SlidePhysicalSize } from '../../../shared/contract/viewer'
import {
  magnificationAt,
  magnificationLabel,
  magnificationSteps,
  scaleBar,
  zoomForMagnification,
} from './physicalScale'

/**
 * Scale bar and magnification for slides that know their physical size: a bar of a round length in
 * microns, the zoom said as 5×/10×/20×/40×, and buttons that jump to those magnifications. Renders nothing
 * for pictures without a pixel size.
 */
export function PhysicalScale(props: {
  physical: SlidePhysicalSize | undefined
  /** Screen pixels per image pixel. */
  scale: number
  /** Sets the zoom (screen px per image px), keeping the view's centre. */
  onZoom(scale: number): void
}): React.JSX.Element | null {
  const { physical, scale } = props
  if (!physical || (!physical.mppX && !physical.magnification)) return null
  const bar = physical.mppX ? scaleBar(physical.mppX, scale) : null
  const scan = physical.magnification
  const now = scan ? magnificationAt(scan, scale) : null
  return (
    <div className="physical-scale" data-testid="physical-scale">
      {bar && (
        <div className="scale-bar" title={`${physical.mppX!.toPrecision(3)} µm per pixel at full resolution`}>
          <div className="scale-bar-line" style={{ width: `${bar.px}px` }} />
          <span data-testid="scale-bar-label">{bar.label}</span>
        </div>
      )}
      {scan && now && (
        <div className="magnification">
          <span
            data-testid="magnification"
            title={`Scanned at ${magnificationLabel(scan)}${physical.magnificationEstimated ? ' (estimated from the pixel size)' : ''}`}
          >
            {magnificationLabel(now)}
          </span>
          {magnificationSteps(scan).map((m) => (
            <button
              key={m}
              type="button"
              className={Math.abs(now - m) < m * 0.02 ? 'active' : ''}
              onClick={() => props.onZoom(zoomForMagnification(m, scan))}
              aria-label={`Zoom to ${magnificationLabel(m)}`}
            >
              {magnificationLabel(m)}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
