import type { MaskClassDef } from '../../../../shared/types'
import { probabilityName, type Predictions } from '../usePredictions'
import { OpacitySlider } from '../../ui/OpacitySlider'

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
      <OpacitySlider
        label="Heatmap"
        name="Heatmap opacity"
        opacity={heatmap.opacity}
        setOpacity={heatmap.setOpacity}
      />
      {heatmap.error && <p className="error">{heatmap.error}</p>}
    </>
  )
}
