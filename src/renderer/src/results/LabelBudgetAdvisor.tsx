import { useEffect, useState } from 'react'
import type { LabelBudgetAdvice } from '../../../shared/labelBudget'
import { client } from '../api/client'
import { methodName, useMethods } from '../train/useMethods'
import { LearningCurveChart } from './LearningCurveChart'
import { metricLabel } from './metricLabel'

function f4(v: number): string {
  return v.toFixed(4)
}

function images(n: number | null): string {
  if (n === null) return 'more than any number'
  return `${Math.round(n)}`
}

/**
 * The label-budget advisor: a learning curve per method fitted to its finished runs, what labelling more
 * images is expected to give, and how many labels the supervised baseline needs to match each other method.
 */
export function LabelBudgetAdvisor({
  task,
  metric,
  experimentId,
}: {
  task: 'segmentation' | 'classification'
  metric: string
  experimentId?: number
}) {
  const methods = useMethods()
  const [extra, setExtra] = useState<number | null>(null)
  const [advice, setAdvice] = useState<LabelBudgetAdvice | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    client
      .call('results.labelBudget', {
        task,
        metric,
        ...(extra ? { extra } : {}),
        ...(experimentId ? { experimentId } : {}),
      })
      .then(setAdvice, (e: Error) => setError(e.message))
  }, [task, metric, extra, experimentId])
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    )
  if (!advice) return <p className="muted">Fitting learning curves…</p>
  const name = (m: string, b: string) => `${methodName(methods, m, task)} · ${b}`
  const label = metricLabel(advice.metric)
  return (
    <div data-testid="label-budget-advisor">
      <label className="inline-field">
        Labelling{' '}
        <input
          type="number"
          min={1}
          max={100000}
          aria-label="More labelled images"
          value={extra ?? advice.extra}
          onChange={(e) => setExtra(Math.max(1, Math.round(Number(e.target.value)) || 1))}
          style={{ width: 80 }}
        />{' '}
        more images
      </label>
      <ul className="advisor-list">
        {advice.curves.map((c) => (
          <li key={`${c.method}|${c.backbone}`} className="advisor-sentence">
            <strong>{name(c.method, c.backbone)}</strong>:{' '}
            {c.refused || !c.now || !c.more || !c.fit ? (
              <span className="muted">no forecast — {c.refused}</span>
            ) : c.fit.b === 0 ? (
              <>
                its runs do not score higher with more labels, so no gain is forecast ({label} stays near{' '}
                {f4(c.fit.a)}, 95 % interval {f4(c.more.lower)}–{f4(c.more.upper)}).
              </>
            ) : (
              <>
                labelling {c.more.n - c.now.n} more images ({c.now.n} → {c.more.n}) is expected to raise{' '}
                {label} from {f4(c.now.value)} to {f4(c.more.value)} (95 % interval {f4(c.more.lower)}–
                {f4(c.more.upper)}).
              </>
            )}
          </li>
        ))}
        {advice.equivalences.map((e) => (
          <li key={`${e.method}|${e.backbone}|${e.n}`} className="advisor-sentence">
            {name(e.method, e.backbone)} with {e.n} labels ≈ {name(e.reference.method, e.reference.backbone)}{' '}
            with {images(e.labels.value)} labels (95 % interval {images(e.labels.lower)}–
            {images(e.labels.upper)})
            {e.extrapolated && (
              <span className="muted"> — beyond the measured budgets, an extrapolation</span>
            )}
            .
          </li>
        ))}
      </ul>
      <LearningCurveChart
        curves={advice.curves}
        names={advice.curves.map((c) => name(c.method, c.backbone))}
        yLabel={label}
      />
      <p className="muted small">
        Fit: y = a − b·n<sup>−c</sup> by least squares over every run (n labelled images); intervals from
        refitting on the seeds resampled. Not fitted below three label fractions.
      </p>
    </div>
  )
}
