import type { AcceptMode } from '../../../shared/contract/viewer'
import type { AcceptChoice } from '../annotation/useMaskSession'

const MODE_WORDS: Record<AcceptMode, string> = {
  replace: 'Replace the mask',
  fillUnpainted: 'Fill only where unpainted (keep every painted pixel)',
  confident: 'Only where the model is confident',
}

/**
 * How a prediction would be accepted: replace, fill where unpainted, or only confident pixels above a
 * threshold. One choice, shown in the confirmation and beside the difference view, which draws what accepting
 * this way would change.
 */
export function AcceptChoiceFields({
  name,
  choice,
  setChoice,
  hasProbabilities,
}: {
  /** The radio group's name (unique on the page). */
  name: string
  choice: AcceptChoice
  setChoice(c: AcceptChoice): void
  hasProbabilities: boolean
}) {
  return (
    <fieldset className="accept-choice">
      <legend>How</legend>
      {(Object.keys(MODE_WORDS) as AcceptMode[]).map((mode) => (
        <label key={mode}>
          <input
            type="radio"
            name={name}
            checked={choice.mode === mode}
            disabled={mode === 'confident' && !hasProbabilities}
            onChange={() => setChoice({ ...choice, mode })}
          />{' '}
          {MODE_WORDS[mode]}
          {mode === 'confident' && !hasProbabilities && ' (this run kept no probabilities)'}
        </label>
      ))}
      {choice.mode === 'confident' && (
        <label className="confidence-threshold">
          Probability at least {Math.round(choice.threshold * 100)} %{' '}
          <input
            type="range"
            min={0.5}
            max={1}
            step={0.05}
            value={choice.threshold}
            aria-label="Confidence threshold"
            onChange={(e) => setChoice({ ...choice, threshold: Number(e.target.value) })}
          />
        </label>
      )}
    </fieldset>
  )
}
