import { useEffect, useState } from 'react'
import type { ExperimentSummary } from '../../../shared/experiments'
import { client } from '../api/client'

/** Which runs the pane shows: every run of the project, or one experiment's. */
export function ExperimentChoice({
  value,
  onChange,
}: {
  value: ExperimentSummary | null
  onChange(e: ExperimentSummary | null): void
}) {
  const [experiments, setExperiments] = useState<ExperimentSummary[]>([])
  useEffect(() => {
    const load = () => client.call('experiments.list', {}).then(setExperiments, () => undefined)
    void load()
    return client.onEvent((e) => {
      if (e.type === 'project' && e.change === 'runs') void load()
    })
  }, [])
  if (experiments.length === 0) return null
  return (
    <label className="inline-field">
      Runs of{' '}
      <select
        aria-label="Experiment"
        value={value?.id ?? ''}
        onChange={(e) => onChange(experiments.find((x) => x.id === Number(e.target.value)) ?? null)}
      >
        <option value="">every run</option>
        {experiments.map((x) => (
          <option key={x.id} value={x.id}>
            experiment {x.id}: {x.name}
          </option>
        ))}
      </select>
    </label>
  )
}
