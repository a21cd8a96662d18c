import type { MaskClassDef } from '../../../../shared/types'
import { probabilityName, type Predictions } from '../usePredictions'

/** The probability heatmap's controls: which class's probability, and the heatmap's own opacity. */
export function ProbabilityControls({
  heatmap,
  maskClasses,
}: {
  heatmap: Predictions['heatmap']
  maskClasses: readonly MaskClassDef[]
}) {
  if (heatmap.available.length === 0)
    return (
      <p className="hint">
        This run was predicted before probabilities were kept: train it again to see how sure it was.
      </p>
    )
  return (
    <>
      {heatmap.available.length > 1 && (
        <label className="slider-row">
          <span>Probability of</span>
          <select
            value={heatmap.classValue}
            aria-label="Probability of"
            onChange={(e) => heatmap.setClassValue(Number(e.target.value))}
          >
            {heatmap.available.map((value) => (
              <option key={value} value={value}>
                {probabilityName(maskClasses, value)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="slider-row">
        <span>Heatmap</span>
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(heatmap.opacity * 100)}
          aria-label="Heatmap opacity"
          onChange={(e) => heatmap.setOpacity(Number(e.target.value) / 100)}
        />
        <output>{Math.round(heatmap.opacity * 100)} %</output>
      </label>
      {heatmap.error && <p className="error">{heatmap.error}</p>}
    </>
  )
}
