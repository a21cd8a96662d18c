import { heatmapColour } from './heatmapPixels'

const STOPS = Array.from({ length: 11 }, (_, i) => i / 10)

/** The heatmap's key: what it shows, and its colour ramp from 0 % to 100 %. */
export function HeatmapLegend({ title }: { title: string }) {
  const gradient = `linear-gradient(to right, ${STOPS.map((t) => `${heatmapColour(t)} ${t * 100}%`).join(', ')})`
  return (
    <figure className="heatmap-legend" aria-label={`${title} scale`}>
      <figcaption>{title}</figcaption>
      <div className="heatmap-ramp" style={{ background: gradient }} />
      <div className="heatmap-ticks">
        <span>0 %</span>
        <span>50 %</span>
        <span>100 %</span>
      </div>
    </figure>
  )
}
