import { formatKeys } from '../actions/keys'
import { togglePrediction } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'
import type { Predictions } from '../usePredictions'

/** A trained run's prediction over the slide: which run, shown or not, and accepting it as the mask. */
export function PredictionsSection({ v, predictions: p }: { v: ViewerCommands; predictions: Predictions }) {
  if (p.runs.length === 0) return null
  return (
    <section aria-label="Predictions">
      <h2>Predictions</h2>
      <select
        value={p.run ?? ''}
        aria-label="Prediction run"
        onChange={(e) => p.setRun(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">None</option>
        {p.runs.map((r) => (
          <option key={r.runId} value={r.runId}>
            Run {r.runId} ({r.method})
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" checked={v.predictionVisible} onChange={v.togglePrediction} /> Show (
        {formatKeys(togglePrediction.keys!)})
      </label>
      <button type="button" disabled={p.run === null} onClick={p.accept}>
        Accept as mask, then correct
      </button>
    </section>
  )
}
