import { useEffect, useState } from 'react'
import type {
  LabelFractionChoice,
  LabelFractionState,
  LabelTask,
} from '../../../shared/contract/labelFraction'
import type { LabelSource } from '../../../shared/types'
import { client } from '../api/client'
import { LABEL_FRACTIONS } from './paperFractions'
import { percent } from './percent'

/**
 * The one label-fraction control: which training images keep their labels. A choice is stored at once as
 * the project's labelled set, so this preview, the grid's "in training set" badges and what a run trains on
 * are the same images.
 */
export function LabelledSetControl({
  task,
  onState,
}: {
  task: LabelTask
  onState?: (state: LabelFractionState | null) => void
}) {
  const [state, setState] = useState<LabelFractionState | null>(null)
  const [names, setNames] = useState(new Map<number, string>())
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** The choice being stored: shown at once, then replaced by what the core stored. */
  const [pending, setPending] = useState<{
    choice: LabelFractionChoice
    seed: number
    source: LabelSource
  } | null>(null)

  const show = (s: LabelFractionState | null) => {
    setState(s)
    onState?.(s)
  }

  useEffect(() => {
    let live = true
    setError(null)
    client.call('labelFraction.state', { task }).then(
      (s) => live && show(s),
      (e: Error) => live && setError(e.message),
    )
    client.call('images.list', {}).then(
      (l) => live && setNames(new Map(l.map((i) => [i.id, i.name]))),
      () => undefined,
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the task changes
  }, [task])

  const active =
    state?.active && (state.active.task === null || state.active.task === task) ? state.active : null
  const stored: LabelFractionChoice | null = active
    ? active.mode === 'user'
      ? 'user'
      : active.fraction
    : null
  const current = pending ? pending.choice : stored
  const seed = pending ? pending.seed : (active?.seed ?? 0)
  const source: LabelSource = pending ? pending.source : (active?.labelSource ?? 'hand')

  const choose = (choice: LabelFractionChoice, nextSeed: number, nextSource: LabelSource = source) => {
    setBusy(true)
    setPending({ choice, seed: nextSeed, source: nextSource })
    setError(null)
    client
      .call('labelFraction.choose', { task, choice, seed: nextSeed, labelSource: nextSource })
      .then(show, (e: Error) => setError(e.message))
      .finally(() => {
        setBusy(false)
        setPending(null)
      })
  }

  const what = task === 'segmentation' ? 'with a mask' : 'with image labels'
  return (
    <div className="labelled-set" aria-label="Labelled set">
      {state && (
        <p className="muted">
          {state.labelled} of {state.trainImages} training images are labelled ({what}
          {task === 'segmentation' ? ' drawn by hand' : ''}).
          {state.reviewed > 0 &&
            ` ${state.reviewed} more ha${state.reviewed === 1 ? 's a mask' : 've masks'} from accepted predictions (reviewed).`}
        </p>
      )}
      {task === 'segmentation' && (
        <label className="inline-field">
          Masks to train on{' '}
          <select
            aria-label="Masks to train on"
            value={source}
            disabled={busy || current === null}
            onChange={(e) => current !== null && choose(current, seed, e.target.value as LabelSource)}
          >
            <option value="hand">Drawn by hand only</option>
            <option value="reviewed">By hand and reviewed predictions</option>
          </select>
        </label>
      )}
      <div className="check-row" role="radiogroup" aria-label="Keep the labels of">
        {LABEL_FRACTIONS.map((f) => (
          <label key={f} className="check">
            <input
              type="radio"
              name="labelled-set"
              disabled={busy}
              checked={current === f}
              onChange={() => choose(f, seed)}
            />
            {percent(f)}
          </label>
        ))}
        <label className="check">
          <input
            type="radio"
            name="labelled-set"
            disabled={busy}
            checked={current === 'user'}
            onChange={() => choose('user', seed)}
          />
          exactly what I labelled{state ? ` (${state.labelled} image${state.labelled === 1 ? '' : 's'})` : ''}
        </label>
      </div>
      <label className="inline-field">
        Selection seed{' '}
        <input
          type="number"
          min={0}
          value={seed}
          disabled={busy || current === null || current === 'user'}
          aria-label="Selection seed"
          onChange={(e) =>
            current !== null && choose(current, Math.max(0, Math.floor(Number(e.target.value) || 0)))
          }
        />
      </label>
      {active ? (
        <>
          <p data-testid="labelled-set-summary">
            Training uses{' '}
            <strong>
              {active.mode === 'user'
                ? 'exactly what you labelled'
                : `${percent(active.fraction ?? 0)}, seed ${active.seed}`}
              {task === 'segmentation' &&
                (active.labelSource === 'reviewed'
                  ? ', masks by hand and reviewed'
                  : ', masks drawn by hand')}
            </strong>
            : {active.imageIds.length} image{active.imageIds.length === 1 ? '' : 's'}.
          </p>
          <div className="class-bars" aria-label="Images per class in the labelled set">
            {state?.perClass.map((c) => (
              <div key={c.classId} className="class-bar">
                <span>
                  <span className="swatch" style={{ background: c.color }} /> {c.name}
                </span>
                <span className="class-bar-track" title={`${c.selected} of ${c.labelled} labelled`}>
                  <span
                    className="class-bar-fill"
                    style={{
                      width: `${c.labelled ? (100 * c.selected) / c.labelled : 0}%`,
                      background: c.color,
                    }}
                  />
                </span>
                <span className="muted">
                  {c.selected} of {c.labelled}
                </span>
              </div>
            ))}
          </div>
          <details>
            <summary>Which images</summary>
            <ul aria-label="Images in the labelled set" className="labelled-set-images">
              {active.imageIds.map((id) => (
                <li key={id}>{names.get(id) ?? `image ${id}`}</li>
              ))}
            </ul>
          </details>
        </>
      ) : (
        state && <p className="muted">Choose which labelled images training uses.</p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
