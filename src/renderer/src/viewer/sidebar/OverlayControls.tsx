import type { OverlayMode } from '../../annotation/overlayStyle'
import { OpacitySlider } from '../../ui/OpacitySlider'

const MODES: { mode: OverlayMode; label: string }[] = [
  { mode: 'fill', label: 'Fill' },
  { mode: 'outline', label: 'Outline' },
  { mode: 'both', label: 'Fill + outline' },
]

/** Fill, outline or both, and the fill's opacity beside its label: one overlay's drawing controls. */
export function OverlayControls({
  name,
  mode,
  setMode,
  opacity,
  setOpacity,
}: {
  /** Whose overlay, for the controls' accessible names ('Mask', 'Prediction'). */
  name: string
  mode: OverlayMode
  setMode: (m: OverlayMode) => void
  opacity: number
  setOpacity: (o: number) => void
}) {
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label={`${name} drawn as`}>
        {MODES.map((m) => (
          <label key={m.mode}>
            <input
              type="radio"
              name={`${name}-overlay-mode`}
              checked={mode === m.mode}
              onChange={() => setMode(m.mode)}
            />{' '}
            {m.label}
          </label>
        ))}
      </div>
      <OpacitySlider
        label={`${name} fill`}
        name={`${name} fill opacity`}
        opacity={opacity}
        setOpacity={setOpacity}
        disabled={mode === 'outline'}
      />
    </>
  )
}
