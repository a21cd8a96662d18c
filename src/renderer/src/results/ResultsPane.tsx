import { useCallback, useEffect, useState } from 'react'
import { parseClassMetric } from '../../../shared/classMetric'
import { evaluationMetricsOf, HEADLINE_METRIC } from '../../../shared/evaluationMetrics'
import type { ExperimentSummary } from '../../../shared/experiments'
import { comparesWithTrivialAnswer } from '../../../shared/trivialAnswer'
import type { ResultsCell, ResultsTable, RunSummary } from '../../../shared/training'
import { client } from '../api/client'
import { methodName, useMethods } from '../train/useMethods'
import { fractionLabel, groupResults } from './groupResults'
import { metricLabel } from './metricLabel'
import { ResultsBarChart, type ChartReference } from './ResultsBarChart'
import { ResultsExport } from './ResultsExport'
import { LabelBudgetAdvisor } from './LabelBudgetAdvisor'
import { ExperimentChoice } from './ExperimentChoice'
import { seriesColour } from '../charts/seriesColours'
import { ResultsTableCard } from './ResultsTableCard'
import { RunsTable } from './RunsTable'
import './results.css'
import { TaskChoice } from '../ui/TaskChoice'

type Task = 'segmentation' | 'classification'

/**
 * The comparison the app exists for: method × backbone × label fraction as the paper's Figure 5 (chart)
 * and Table 1 (table), on one evaluation metric named exactly; below, the runs behind it, each opening
 * its own page.
 */
export function ResultsPane({ onOpenRun }: { onOpenRun(runId: number): void }) {
  const [task, setTask] = useState<Task>('segmentation')
  const methods = useMethods()
  const [table, setTable] = useState<ResultsTable | null>(null)
  const [runs, setRuns] = useState<RunSummary[] | null>(null)
  const [metric, setMetric] = useState<string | null>(null)
  const [showHidden, setShowHidden] = useState(false)
  const [experiment, setExperiment] = useState<ExperimentSummary | null>(null)
  const experimentId = experiment?.id
  const [cell, setCell] = useState<ResultsCell | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    client
      .call('results.table', { task, includeHidden: showHidden, ...(experimentId ? { experimentId } : {}) })
      .then(setTable, (e: Error) => setError(e.message))
    client.call('runs.list', {}).then(setRuns, (e: Error) => setError(e.message))
  }, [task, showHidden, experimentId])
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
  useEffect(() => setCell(null), [task])

  const metrics = table
    ? evaluationMetricsOf(
        table.cells.map((c) => c.metric),
        task,
      )
    : []
  // Several mask classes: per-class scores are stored, and the headline is their mean.
  const tableMultiClass = (table?.cells ?? []).some((c) => parseClassMetric(c.metric) !== null)
  const shownMetric = metric && metrics.includes(metric) ? metric : (metrics[0] ?? null)
  const grid = table && shownMetric ? groupResults(table.cells, shownMetric) : null
  const inExperiment = experiment ? new Set(experiment.runs.map((r) => r.runId)) : null
  const taskRuns = (runs ?? []).filter(
    (r) => r.task === task && (showHidden || !r.hidden) && (inExperiment?.has(r.id) ?? true),
  )
  const listed = cell ? taskRuns.filter((r) => cell.runIds.includes(r.id)) : taskRuns

  return (
    <div className="page">
      <h1 className="page-title">Results</h1>
      <div className="toolbar">
        <TaskChoice task={task} onChange={setTask} />
        {metrics.length > 0 && (
          <label className="inline-field">
            Metric{' '}
            <select aria-label="Metric" value={shownMetric ?? ''} onChange={(e) => setMetric(e.target.value)}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {metricLabel(m, tableMultiClass)}
                </option>
              ))}
            </select>
          </label>
        )}
        <ExperimentChoice value={experiment} onChange={setExperiment} />
        <label className="inline-field">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />{' '}
          show hidden runs
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {grid && grid.rows.length > 0 ? (
        <section className="card">
          <h2>
            {metricLabel(grid.metric, tableMultiClass)} by label fraction{' '}
            <span className="muted">(mean ± 95 % CI over seeds)</span>
          </h2>
          <ResultsExport
            task={task}
            metric={grid.metric}
            includeHidden={showHidden}
            experimentId={experimentId}
            chartName={`${task}-${grid.metric}-by-label-fraction`}
            legend={grid.rows.map((r, i) => ({
              name: `${methodName(methods, r.method, task)} · ${r.backbone}`,
              colour: seriesColour(i),
            }))}
          />
          <ResultsBarChart grid={grid} task={task} reference={trivialReference(table, grid.metric)} />
          <ResultsTableCard grid={grid} task={task} onOpenCell={setCell} />
        </section>
      ) : (
        <div className="empty card">
          <h2>No finished {task} runs yet</h2>
          <p className="muted">
            Finished runs appear here as a chart and a table of method × label fraction, like the paper.
          </p>
        </div>
      )}
      {grid && grid.rows.length > 0 && (
        <section className="card">
          <h2>
            Label-budget advisor <span className="muted">(what more labelling is expected to buy)</span>
          </h2>
          <LabelBudgetAdvisor task={task} metric={grid.metric} experimentId={experimentId} />
        </section>
      )}
      <section className="card" data-testid="runs-section">
        <h2>
          {cell
            ? `Runs of ${methodName(methods, cell.method, task)} · ${cell.backbone} at ${fractionLabel(cell.labelFraction)}`
            : 'Runs'}
          {cell && (
            <button type="button" className="link-button" onClick={() => setCell(null)}>
              show all runs
            </button>
          )}
        </h2>
        {listed.length === 0 ? (
          <p className="muted">No {task} runs stored in this project.</p>
        ) : (
          <RunsTable
            runs={listed}
            task={task}
            headline={shownMetric ?? HEADLINE_METRIC[task]}
            onOpenRun={onOpenRun}
          />
        )}
      </section>
    </div>
  )
}

/**
 * The best constant answer's F1 (macro) as the chart's reference line, when every run in the table was
 * tested on images where it is the same (one test split) and the metric is an F1 (macro).
 */
function trivialReference(table: ResultsTable | null, metric: string): ChartReference | null {
  const answers = table?.trivialAnswers ?? []
  if (answers.length !== 1 || !comparesWithTrivialAnswer(metric)) return null
  const [t] = answers
  return { value: t.f1Macro, label: `best constant answer: ${t.answer}, F1 (macro) ${t.f1Macro.toFixed(3)}` }
}
