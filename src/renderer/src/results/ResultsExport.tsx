import { useState } from 'react'
import { client } from '../api/client'
import { download, standaloneSvg, svgToPng, type LegendEntry } from '../charts/chartExport'

type Task = 'segmentation' | 'classification'

const TEXT_FORMATS = [
  { format: 'csv', label: 'CSV (runs)' },
  { format: 'md', label: 'Markdown table' },
  { format: 'latex', label: 'LaTeX table' },
  { format: 'json', label: 'JSON' },
] as const

/** The pane's exports: the runs and the table as files, and the chart as SVG or PNG. */
export function ResultsExport({
  task,
  metric,
  includeHidden,
  experimentId,
  chartName,
  legend,
}: {
  task: Task
  metric: string | null
  includeHidden: boolean
  experimentId?: number
  chartName: string
  legend: LegendEntry[]
}) {
  const [error, setError] = useState<string | null>(null)
  const exportText = (format: (typeof TEXT_FORMATS)[number]['format']) =>
    client
      .call('results.export', {
        task,
        format,
        includeHidden,
        ...(metric ? { metric } : {}),
        ...(experimentId ? { experimentId } : {}),
      })
      .then(
        (r) => download(r.text, r.fileName, r.mimeType),
        (e: Error) => setError(e.message),
      )
  const chartSvg = (): string | null => {
    const svg = document.querySelector<SVGSVGElement>('[data-testid=results-chart] svg')
    if (!svg) {
      setError('There is no chart to export yet')
      return null
    }
    return standaloneSvg(svg, legend, 'bars: mean over seeds · whiskers: 95 % CI')
  }
  const exportChart = async (png: boolean) => {
    const svg = chartSvg()
    if (!svg) return
    try {
      if (png) download(await svgToPng(svg), `${chartName}.png`)
      else download(svg, `${chartName}.svg`, 'image/svg+xml')
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }
  return (
    <div className="export-menu" data-testid="results-export">
      <span className="muted small">Export</span>
      {TEXT_FORMATS.map((f) => (
        <button key={f.format} type="button" onClick={() => void exportText(f.format)}>
          {f.label}
        </button>
      ))}
      <button type="button" onClick={() => void exportChart(false)}>
        Chart SVG
      </button>
      <button type="button" onClick={() => void exportChart(true)}>
        Chart PNG
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
