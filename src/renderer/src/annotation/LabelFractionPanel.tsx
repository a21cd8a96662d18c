import { useCallback, useEffect, useState } from 'react'
import type { LabelFractionPreview, LabelFractionState, LabelTask } from '../../../shared/contract/viewer'
import { client } from '../api/client'

const CHOICES: { value: number | 'user'; label: string }[] = [
  { value: 0.1, label: '10 %' },
  { value: 0.3, label: '30 %' },
  { value: 0.5, label: '50 %' },
  { value: 0.7, label: '70 %' },
  { value: 1, label: '100 %' },
  { value: 'user', label: 'Exactly what I labelled' },
]

/**
 * Which labelled training images a run keeps: counts per class, a choice of the paper's fractions or the
 * user's own labels, a preview of the images that form the set for a seed, and "Use for training", which
 * stores it as the project's active selection.
 */
export function LabelFractionPanel({ onPreview }: { onPreview?: (imageIds: number[]) => void }) {
  const [task, setTask] = useState<LabelTask>('classification')
  const [state, setState] = useState<LabelFractionState | null>(null)
  const [choice, setChoice] = useState<number | 'user'>(0.1)
  const [seed, setSeed] = useState(0)
  const [preview, setPreview] = useState<LabelFractionPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [names, setNames] = useState(new Map<number, string>())

  useEffect(() => {
    client.call('labelFraction.state', { task }).then(setState, (e: Error) => setError(e.message))
    client.call('images.list', {}).then(
      (l) => setNames(new Map(l.map((i) => [i.id, i.name]))),
      () => undefined,
    )
  }, [task])

  useEffect(() => {
    let live = true
    setError(null)
    client.call('labelFraction.preview', { task, choice, seed }).then(
      (p) => {
        if (!live) return
        setPreview(p)
        onPreview?.(p.imageIds)
      },
      (e: Error) => live && setError(e.message),
    )
    return () => {
      live = false
    }
  }, [task, choice, seed, onPreview])

  const use = useCallback(() => {
    client
      .call('labelFraction.choose', { task, choice, seed })
      .then(setState, (e: Error) => setError(e.message))
  }, [task, choice, seed])

  const selected = new Map(preview?.perClass.map((c) => [c.classId, c.selected]) ?? [])
  const active = state?.active
  return (
    <section className="label-fraction-panel" aria-label="Label fraction">
      <h2>Label fraction</h2>
      <label>
        Task{' '}
        <select value={task} onChange={(e) => setTask(e.target.value as LabelTask)} aria-label="Task">
          <option value="classification">Classification (image labels)</option>
          <option value="segmentation">Segmentation (masks)</option>
        </select>
      </label>
      {state && (
        <p>
          {state.labelled} of {state.trainImages} training images are labelled.
          {active && (
            <>
              {' '}
              Training uses:{' '}
              <strong data-testid="active-fraction">
                {active.mode === 'user'
                  ? 'exactly what you labelled'
                  : `${Math.round((active.fraction ?? 0) * 100)} %, seed ${active.seed}`}
              </strong>{' '}
              ({active.imageIds.length} images).
            </>
          )}
        </p>
      )}
      <fieldset>
        <legend>Keep the labels of</legend>
        {CHOICES.map((c) => (
          <label key={String(c.value)} className="choice">
            <input
              type="radio"
              name="label-fraction"
              checked={choice === c.value}
              onChange={() => setChoice(c.value)}
            />
            {c.label}
          </label>
        ))}
      </fieldset>
      <label>
        Seed{' '}
        <input
          type="number"
          min={0}
          value={seed}
          disabled={choice === 'user'}
          aria-label="Seed"
          onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
        />
      </label>
      {state && (
        <table className="fraction-counts">
          <thead>
            <tr>
              <th>Class</th>
              <th>Labelled</th>
              <th>In the set</th>
            </tr>
          </thead>
          <tbody>
            {state.perClass.map((c) => (
              <tr key={c.classId}>
                <td>
                  <span className="swatch" style={{ background: c.color }} /> {c.name}
                </td>
                <td>{c.labelled}</td>
                <td>{selected.get(c.classId) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview && (
        <div className="fraction-preview">
          <p data-testid="preview-count">
            Preview: {preview.imageIds.length} image{preview.imageIds.length === 1 ? '' : 's'} form the
            labelled set.
          </p>
          <ul aria-label="Labelled set preview">
            {preview.imageIds.map((id) => (
              <li key={id}>{names.get(id) ?? `image ${id}`}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={use} disabled={!preview || preview.imageIds.length === 0}>
        Use for training
      </button>
    </section>
  )
}
