import { heatmapColour } from './heatmapPixels'

const STOPS = Array.from({ length: 11 }, (_, i) => i / 10)

/** What a heat map over the image shows, and how its ramp reads (default: a probability, 0 % to 100 %). */
export interface HeatmapKey {
  title: string
  /** The ramp's CSS colour at t in [0, 1]. */
  colour?: (t: number) => string
  /** The labels under the ramp's start, middle and end. */
  ticks?: [string, string, string]
}

/** The heatmap's key: what it shows, and its colour ramp from low to high. */
export function HeatmapLegend({
  title,
  colour = heatmapColour,
  ticks = ['0 %', '50 %', '100 %'],
}: HeatmapKey) {
  const gradient = `linear-gradient(to right, ${STOPS.map((t) => `${colour(t)} ${t * 100}%`).join(', ')})`
  return (
    <figure className="heatmap-legend" aria-label={`${title} scale`}>
      <figcaption>{title}</figcaption>
      <div className="heatmap-ramp" style={{ background: gradient }} />
      <div className="heatmap-ticks">
        {ticks.map((t, i) => (
          <span key={i}>{t}</span>
        ))}
      </div>
    </figure>
  )
}
