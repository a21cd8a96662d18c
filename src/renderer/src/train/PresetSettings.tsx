import type { MethodInfo } from '../../../shared/contract/methods'

/** The hyperparameters a run of this method starts from with this preset, as the catalogue lists them. */
export function PresetSettings({ method, preset }: { method: MethodInfo; preset: 'quick' | 'paper' }) {
  if (method.hyperparameters.length === 0) return null
  return (
    <details className="preset-settings">
      <summary>
        Settings of the {preset} preset{method.source ? ` (from ${method.source})` : ''}
      </summary>
      <dl>
        {method.hyperparameters.map((h) => (
          <div key={h.name} title={h.about ?? undefined}>
            <dt>{h.name}</dt>
            <dd>{String(h[preset])}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}
