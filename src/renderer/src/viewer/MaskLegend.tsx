import type { MaskClassDef } from '../../../shared/types'
import type { OverlayMode } from '../annotation/overlayStyle'
import { HeatmapLegend, type HeatmapKey } from './heatmap/HeatmapLegend'

const MODE_WORDS: Record<OverlayMode, string> = { fill: 'fill', outline: 'outline', both: 'fill + outline' }

/** The key over the canvas: each shown mask class by colour, and how the annotation and the prediction are drawn. */
export function MaskLegend({
  maskClasses,
  hidden,
  mode,
  prediction,
  heatmaps = [],
}: {
  maskClasses: MaskClassDef[]
  hidden: ReadonlySet<number>
  mode: OverlayMode
  /** The prediction shown, if any, and how. */
  prediction: { label: string; mode: OverlayMode } | null
  /** The heat maps shown over the image: what each is of and how its ramp reads. */
  heatmaps?: HeatmapKey[]
}) {
  const shown = maskClasses.filter((m) => !hidden.has(m.value))
  if (shown.length === 0 && !prediction && heatmaps.length === 0) return null
  return (
    <div className="mask-legend" aria-label="Legend" role="group">
      <ul>
        {shown.map((m) => (
          <li key={m.id}>
            <span className="legend-key" style={{ borderColor: m.color, background: `${m.color}55` }} />{' '}
            {m.name}
          </li>
        ))}
      </ul>
      <div className="legend-styles">
        <span>
          <span className="legend-line solid" /> annotation ({MODE_WORDS[mode]})
        </span>
        {prediction && (
          <span>
            <span className="legend-line dashed" /> {prediction.label} ({MODE_WORDS[prediction.mode]})
          </span>
        )}
      </div>
      {heatmaps.map((h) => (
        <HeatmapLegend key={h.title} {...h} />
      ))}
    </div>
  )
}
