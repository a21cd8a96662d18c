import type { GlassTilesSkipped, RunDetail } from '../../../shared/training'
import {
  hyperparameterGroups,
  hyperparameterParts,
  hyperparameterValue,
} from '../../../shared/hyperparameters'
import { settingTitle } from '../train/settingTitle'
import { fractionLabel } from './groupResults'
import { readBackendRecord } from '../../../shared/backendRecord'

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}

function duration(from: string | null, to: string | null): string | null {
  if (!from || !to) return null
  const s = Math.round((Date.parse(to) - Date.parse(from)) / 1000)
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}

/** Slide tiles left out as mostly glass, per subset: "training 12 (3 slides) · validation 0 · test 4 (1 slide)". */
function glassTiles(g: GlassTilesSkipped): string {
  const subsets = [
    ['training', g.train],
    ['validation', g.val],
    ['test', g.test],
  ] as const
  return subsets
    .map(([name, { tiles, slides }]) =>
      tiles ? `${name} ${tiles} (${slides} slide${slides === 1 ? '' : 's'})` : `${name} 0`,
    )
    .join(' · ')
}

/** Everything a run was: preset, backbone, backend, data version, labelled images, every hyperparameter, times. */
export function RunConfiguration({ run }: { run: RunDetail }) {
  const took = duration(run.startedAt, run.finishedAt)
  const backend = run.backend ? readBackendRecord(run.backend) : null
  const facts: [string, string][] = [
    ['Preset', run.preset],
    ['Backbone', run.backbone],
    ['Label fraction', fractionLabel(run.labelFraction)],
    ['Seed', String(run.seed)],
    ['Backend', backend ? backend.used : '—'],
    ['Dataset version', run.datasetVersion],
    ...(run.labelSource
      ? ([
          [
            'Masks',
            run.labelSource === 'reviewed' ? 'drawn by hand and reviewed predictions' : 'drawn by hand only',
          ],
        ] as [string, string][])
      : []),
    ['Queued', when(run.createdAt)],
    ['Started', when(run.startedAt)],
    ['Finished', `${when(run.finishedAt)}${took ? ` (${took})` : ''}`],
  ]
  // The faster backends it did not get, one per line: on a lab machine this is where a missing GPU shows.
  if (backend?.skipped.length) facts.push(['Faster backends skipped', backend.skipped.join('\n')])
  if (run.glassTilesSkipped)
    facts.push(['Tiles skipped as glass (tissue detection)', glassTiles(run.glassTilesSkipped)])
  const overridden = new Set(Object.keys(run.overrides))
  return (
    <div className="run-config" data-testid="run-config">
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <h3>Hyperparameters</h3>
      <table className="data-table compact" data-testid="run-hyper">
        {hyperparameterGroups(Object.entries(run.hyper).map(([name, value]) => ({ name, value }))).map(
          ({ phase, rows }) => (
            <tbody key={phase ?? 'run'}>
              {phase && (
                <tr>
                  <th colSpan={2} scope="rowgroup" className="setting-phase">
                    {phase}
                  </th>
                </tr>
              )}
              {rows.map(({ name, value }) => (
                <tr key={name} title={settingTitle(name, null)}>
                  <th scope="row">{hyperparameterParts(name).label}</th>
                  <td>
                    {hyperparameterValue(name, value)}
                    {overridden.has(name) && <span className="muted small"> (set for this run)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          ),
        )}
      </table>
      <h3>Labelled images ({run.labelledImageIds.length})</h3>
      <p className="muted small labelled-ids" data-testid="run-labelled-ids">
        {run.labelledImageIds.length
          ? `image ids ${run.labelledImageIds.join(', ')}`
          : 'none: no labels used'}
      </p>
    </div>
  )
}
