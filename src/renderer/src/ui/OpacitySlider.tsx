/**
 * A layer's opacity over the image (mask fill, prediction, heatmap, saliency, uncertainty): one slider in
 * percent with its value beside it, so every layer's opacity reads and moves the same way. The value is
 * 0–1, as the layers draw it.
 */
export function OpacitySlider({
  label,
  name,
  opacity,
  setOpacity,
  disabled = false,
}: {
  /** The words beside the slider. */
  label: string
  /** The slider's accessible name ('Heatmap opacity'). */
  name: string
  opacity: number
  setOpacity: (opacity: number) => void
  disabled?: boolean
}) {
  const percent = Math.round(opacity * 100)
  return (
    <label className="slider-row">
      <span>{label}</span>
      <input
        type="range"
        min={0}
        max={100}
        value={percent}
        aria-label={name}
        disabled={disabled}
        onChange={(e) => setOpacity(Number(e.target.value) / 100)}
      />
      <output>{percent} %</output>
    </label>
  )
}
