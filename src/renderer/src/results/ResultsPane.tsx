import { Fragment, useCallback, useEffect, useState } from 'react'
import type { ResultsTable, RunSummary } from '../../../shared/training'
import type { MaskClassDef } from '../../../shared/types'
import { parseClassMetric } from '../../../shared/classMetric'
import { client } from '../api/client'
import { methodName, useMethods } from '../train/useMethods'

type Task = 'segmentation' | 'classification'
import { fractionLabel, groupResults, metricsOf } from './groupResults'
import { metricLabel } from './metricLabel'
import { ResultsBarChart } from './ResultsBarChart'
import { RunMetricsChart } from './RunMetricsChart'
import { ClassificationRunDetail } from './ClassificationRunDetail'
import { SegmentationRunDetail } from './SegmentationRunDetail'

// Final metrics are stored per subset (testIou, valIou, …); the test score is the paper's headline.
const HEADLINE: Record<Task, string[]> = {
  segmentation: ['testIou', 'iou', 'testDice', 'dice'],
  // CASS also reports its Transformer's scores (vit…).
  classification: [
    'testF1Macro',
    'testF1Weighted',
    'testRecallMacro',
    'testPrecisionMacro',
    'testAccuracy',
    'vitTestF1Macro',
    'vitTestRecallMacro',
  ],
}

function fmt(v: number): string {
  return v.toFixed(4)
}

/** Method × label fraction as a chart and a table (mean ± 95 % CI over seeds), and every stored run. */
export function ResultsPane({ maskClasses = [] }: { maskClasses?: MaskClassDef[] }) {
  const [task, setTask] = useState<Task>('segmentation')
  const methods = useMethods()
  const [table, setTable] = useState<ResultsTable | null>(null)
  const [runs, setRuns] = useState<RunSummary[] | null>(null)
  const [metric, setMetric] = useState<string | null>(null)
  const [openRun, setOpenRun] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    client.call('results.table', { task }).then(setTable, (e: Error) => setError(e.message))
    client.call('runs.list', {}).then(setRuns, (e: Error) => setError(e.message))
  }, [task])
  useEffect(() => {
    load()
    return client.onEvent((e) => {
      if (
        (e.type === 'project' && e.change === 'runs') ||
        (e.type === 'job' &&
          e.job.kind === 'train' &&
          (e.job.status === 'succeeded' || e.job.status === 'failed'))
      )
        load()
    })
  }, [load])

  // Classification runs also store count tables (confusion, per-label 2×2): shown per run, not charted.
  const metrics = table
    ? metricsOf(table.cells, HEADLINE[task]).filter(
        (m) => !/^(vit)?(test|val|Test|Val)(Confusion|Matrix)\./.test(m),
      )
    : []
  // Several mask classes: per-class scores are stored, and the headline is their mean.
  const multiClass = (names: string[]) => names.some((m) => parseClassMetric(m) !== null)
  const tableMultiClass = multiClass(metrics)
  const shownMetric = metric && metrics.includes(metric) ? metric : (metrics[0] ?? null)
  const grid = table && shownMetric ? groupResults(table.cells, shownMetric) : null
  const taskRuns = runs?.filter((r) => r.task === task) ?? []

  return (
    <div className="page">
      <h1 className="page-title">Results</h1>
      <div className="toolbar">
        <div className="segmented">
          {(['segmentation', 'classification'] as const).map((t) => (
            <button
              key={t}
              type="button"
              className={t === task ? 'segment segment-active' : 'segment'}
              aria-pressed={t === task}
              onClick={() => setTask(t)}
            >
              {t}
            </button>
          ))}
        </div>
        {metrics.length > 1 && (
          <select aria-label="Metric" value={shownMetric ?? ''} onChange={(e) => setMetric(e.target.value)}>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {metricLabel(m, tableMultiClass)}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {grid && grid.methods.length > 0 ? (
        <section className="card">
          <h2>
            {metricLabel(grid.metric, tableMultiClass)} by label fraction{' '}
            <span className="muted">(mean ± 95 % CI over seeds)</span>
          </h2>
          <ResultsBarChart grid={grid} task={task} />
          <table className="data-table" data-testid="results-table">
            <thead>
              <tr>
                <th>Method</th>
                {grid.fractions.map((f) => (
                  <th key={f}>{fractionLabel(f)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {grid.methods.map((m) => (
                <tr key={m}>
                  <th scope="row">{methodName(methods, m, task)}</th>
                  {grid.fractions.map((f) => {
                    const c = grid.cell(m, f)
                    return (
                      <td key={f}>
                        {c ? (
                          <>
                            {fmt(c.mean)}
                            {c.n > 1 && <span className="muted"> ± {fmt(c.ci95)}</span>}
                            <span className="muted small"> n={c.n}</span>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <div className="empty card">
          <h2>No finished {task} runs yet</h2>
          <p className="muted">
            Finished runs appear here as a chart of method × label fraction, like the paper.
          </p>
        </div>
      )}
      <section className="card">
        <h2>Runs</h2>
        {taskRuns.length === 0 ? (
          <p className="muted">No {task} runs stored in this project.</p>
        ) : (
          <table className="data-table" data-testid="runs-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Method</th>
                <th>Label fraction</th>
                <th>Seed</th>
                <th>Status</th>
                <th>Backend</th>
                <th>Final</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {taskRuns.map((r) => (
                <Fragment key={r.id}>
                  <tr
                    className={openRun === r.id ? 'row-open clickable' : 'clickable'}
                    onClick={() => setOpenRun(openRun === r.id ? null : r.id)}
                  >
                    <td>{r.id}</td>
                    <td>{methodName(methods, r.method, task)}</td>
                    <td>{fractionLabel(r.labelFraction)}</td>
                    <td>{r.seed}</td>
                    <td>
                      <span className={`status-chip status-${r.status}`}>{r.status}</span>
                    </td>
                    <td title={r.backend ?? undefined}>{r.backend?.split(' ')[0] ?? '—'}</td>
                    <td>
                      {Object.entries(r.final)
                        .filter(([k]) => task === 'segmentation' || HEADLINE.classification.includes(k))
                        .map(([k, v]) => `${metricLabel(k, multiClass(Object.keys(r.final)))} ${fmt(v)}`)
                        .join(' · ') || '—'}
                      {r.error && <div className="run-error">{r.error}</div>}
                      {r.notes.map((n) => (
                        <div key={n} className="muted small">
                          {n}
                        </div>
                      ))}
                    </td>
                    <td className="muted">{new Date(r.createdAt).toLocaleString()}</td>
                  </tr>
                  {openRun === r.id && (
                    <tr className="row-detail">
                      <td colSpan={8}>
                        <RunMetricsChart runId={r.id} live={r.status === 'running'} />
                        {task === 'classification' && <ClassificationRunDetail final={r.final} />}
                        {task === 'segmentation' && (
                          <SegmentationRunDetail final={r.final} maskClasses={maskClasses} />
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
