import { useState } from 'react'
import type { ImageSummary, MaskClassDef } from '../../../../shared/types'
import { AcceptChoiceFields } from '../AcceptChoiceFields'
import { AcceptPredictionDialog } from '../AcceptPredictionDialog'
import { formatKeys } from '../actions/keys'
import { togglePrediction } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'
import { DIFFERENCE_COLOURS, type Predictions } from '../usePredictions'
import type { Overlay } from '../useOverlay'
import { OverlayControls } from './OverlayControls'
import { ProbabilityControls } from './ProbabilityControls'

const VIEW_NAMES = {
  prediction: 'Prediction',
  difference: 'Difference with mask',
  probability: 'Probability heatmap',
} as const

/**
 * A trained run's prediction over the slide: which run, shown as its mask, as its difference to the
 * annotator's mask or as a heatmap of its probabilities, and accepting it (after a confirmation that says what it replaces).
 */
export function PredictionsSection({
  v,
  predictions: p,
  image,
  locked,
  overlay,
  maskClasses,
}: {
  v: ViewerCommands
  predictions: Predictions
  overlay: Overlay
  image: ImageSummary
  locked: boolean
  maskClasses: readonly MaskClassDef[]
}) {
  const [confirming, setConfirming] = useState(false)
  if (p.runs.length === 0) return null
  const run = p.runs.find((r) => r.runId === p.run)
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
      <div className="segmented" role="radiogroup" aria-label="Prediction view">
        {(['prediction', 'difference', 'probability'] as const).map((view) => (
          <label key={view}>
            <input
              type="radio"
              name="prediction-view"
              checked={p.view === view}
              disabled={p.run === null}
              onChange={() => p.setView(view)}
            />{' '}
            {VIEW_NAMES[view]}
          </label>
        ))}
      </div>
      {p.view === 'prediction' && (
        <OverlayControls
          name="Prediction"
          mode={overlay.predictionMode}
          setMode={overlay.setPredictionMode}
          opacity={overlay.predictionOpacity}
          setOpacity={overlay.setPredictionOpacity}
        />
      )}
      {p.view === 'difference' && run && (
        <>
          <AcceptChoiceFields
            name="difference-mode"
            choice={p.acceptChoice}
            setChoice={p.setAcceptChoice}
            hasProbabilities={run.probabilities.length > 0}
          />
          <ul className="legend" aria-label="Difference legend">
            {['added by the prediction', 'removed', 'class changed'].map((what, i) => (
              <li key={what}>
                <span className="swatch" style={{ background: DIFFERENCE_COLOURS[i] }} /> {what}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.view === 'probability' && p.run !== null && (
        <ProbabilityControls heatmap={p.heatmap} maskClasses={maskClasses} />
      )}
      <button type="button" disabled={!run} onClick={() => setConfirming(true)}>
        Accept as mask…
      </button>
      {confirming && run && (
        <AcceptPredictionDialog
          imageId={image.id}
          imageName={image.name}
          run={run}
          locked={locked}
          choice={p.acceptChoice}
          setChoice={p.setAcceptChoice}
          onAccept={p.accept}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  )
}
