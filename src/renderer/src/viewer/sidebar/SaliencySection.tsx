import type { Saliency } from '../useSaliency'
import { percent } from '../../train/percent'
import { OpacitySlider } from '../../ui/OpacitySlider'

/**
 * Saliency maps (paper Figure 2): where a trained classifier looks, as the gradient of a class's score
 * with respect to the pixels, drawn over the image with an opacity slider; per class, and saved as PNG.
 */
export function SaliencySection({ s }: { s: Saliency }) {
  if (s.runs.length === 0) return null
  const l = s.layer?.data
  return (
    <section aria-label="Saliency">
      <h2>Saliency</h2>
      <select
        value={s.run ?? ''}
        aria-label="Saliency run"
        onChange={(e) => s.setRun(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">None</option>
        {s.runs.map((r) => (
          <option key={r.runId} value={r.runId}>
            Run {r.runId} ({r.method}
            {r.labelFraction !== null ? `, ${percent(r.labelFraction)} labels` : ''})
          </option>
        ))}
      </select>
      {s.run !== null && (
        <>
          <select
            value={s.className ?? ''}
            aria-label="Saliency class"
            onChange={(e) => s.setClassName(e.target.value || null)}
          >
            <option value="">Predicted class</option>
            {(l?.classNames ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <OpacitySlider
            label="Opacity"
            name="Saliency opacity"
            opacity={s.opacity}
            setOpacity={s.setOpacity}
          />
          {s.busy && <p>Computing the map…</p>}
          {s.error && <p role="alert">{s.error}</p>}
          {l && (
            <p data-testid="saliency-caption">
              Where the classifier looks for “{l.className}” (probability {(l.probability * 100).toFixed(0)}{' '}
              %)
            </p>
          )}
          {s.layer && (
            <a
              href={s.layer.canvas.toDataURL('image/png')}
              download={`saliency-run${l!.runId}-${l!.className}.png`}
            >
              Save the map as PNG
            </a>
          )}
        </>
      )}
    </section>
  )
}
