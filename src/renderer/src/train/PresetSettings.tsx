import { useEffect, useState } from 'react'
import type { HyperValue, MethodInfo, RunSetting } from '../../../shared/contract/methods'
import {
  hyperparameterGroups,
  hyperparameterParts,
  hyperparameterValue,
} from '../../../shared/hyperparameters'
import { client } from '../api/client'
import { settingTitle } from './settingTitle'

type Row = { name: string; value: HyperValue | null; about: string | null }

/**
 * The hyperparameters a run of this method would start from with this preset and these choices (backbone,
 * DINO's recipe): asked of the core (methods.settings), as DINO's follow the backbone and the recipe. Until
 * it answers, the preset's list from the catalogue.
 */
export function PresetSettings({
  method,
  preset,
  overrides,
}: {
  method: MethodInfo
  preset: 'quick' | 'paper'
  overrides: Record<string, HyperValue>
}) {
  const [settings, setSettings] = useState<RunSetting[] | null>(null)
  const chosen = JSON.stringify(overrides)
  useEffect(() => {
    if (!method.available) return
    let live = true
    setSettings(null)
    client
      .call('methods.settings', {
        task: method.task,
        method: method.id,
        preset,
        overrides: JSON.parse(chosen) as Record<string, HyperValue>,
      })
      .then(
        (s) => live && setSettings(s),
        () => undefined,
      )
    return () => {
      live = false
    }
  }, [method.task, method.id, method.available, preset, chosen])
  if (method.hyperparameters.length === 0) return null
  const rows: Row[] =
    settings ?? method.hyperparameters.map((h) => ({ name: h.name, value: h[preset], about: h.about }))
  return (
    <details className="preset-settings" data-testid="preset-settings">
      <summary>
        Settings of the {preset} preset{Object.keys(overrides).length > 0 ? ' with these choices' : ''}
        {method.source ? ` (from ${method.source})` : ''}
      </summary>
      {hyperparameterGroups(rows).map(({ phase, rows: group }) => (
        <section key={phase ?? 'run'}>
          {phase && <h4>{phase}</h4>}
          <dl>
            {group.map((h) => (
              <div key={h.name} title={settingTitle(h.name, h.about)}>
                <dt>{hyperparameterParts(h.name).label}</dt>
                <dd>{hyperparameterValue(h.name, h.value)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </details>
  )
}
