import type { ResultsCell } from '../../../shared/training'
import { evaluationMetric } from '../../../shared/evaluationMetrics'
import { methodName, useMethods } from '../train/useMethods'
import { fractionLabel, type ResultsGrid } from './groupResults'

function fmt(v: number): string {
  return v.toFixed(4)
}

/**
 * The paper's Table 1: a row per method × backbone, a column per label fraction, mean ± 95 % CI over seeds,
 * the best of each column marked. A cell opens its runs.
 */
/** What a cell's n counts: each seed once; repeats and runs with other labels or settings are named, not counted. */
function seedNote(c: ResultsCell): string {
  return [
    `${c.n} seed${c.n === 1 ? '' : 's'} counted, each once`,
    c.repeats ? `${c.repeats} repeat${c.repeats === 1 ? '' : 's'} of a counted seed not counted again` : '',
    ...c.setAside.map((a) => `run ${a.runId} set aside: ${a.reason}`),
  ]
    .filter(Boolean)
    .join('; ')
}

export function ResultsTableCard({
  grid,
  task,
  onOpenCell,
}: {
  grid: ResultsGrid
  task: string
  onOpenCell(cell: ResultsCell): void
}) {
  const methods = useMethods()
  const definition = evaluationMetric(grid.metric)?.definition
  return (
    <>
      <table className="data-table results-table" data-testid="results-table">
        <thead>
          <tr>
            <th>Method</th>
            <th>Backbone</th>
            {grid.fractions.map((f) => (
              <th key={f}>{fractionLabel(f)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{methodName(methods, row.method, task)}</th>
              <td>{row.backbone}</td>
              {grid.fractions.map((f) => {
                const c = grid.cell(row.key, f)
                if (!c)
                  return (
                    <td key={f}>
                      <span className="muted">—</span>
                    </td>
                  )
                const best = grid.best(f).includes(row.key)
                return (
                  <td key={f} className={best ? 'cell-best' : undefined}>
                    <button
                      type="button"
                      className="cell-button"
                      title={`Open the ${c.n} run${c.n === 1 ? '' : 's'} behind this cell`}
                      onClick={() => onOpenCell(c)}
                    >
                      {fmt(c.mean)}
                      {c.n > 1 && (
                        <span className="muted" title={c.intervalNote ?? undefined}>
                          {' '}
                          ± {fmt(c.ci95)}
                          {c.intervalNote && '†'}
                        </span>
                      )}
                      <span className="muted small" title={seedNote(c)}>
                        {' '}
                        n={c.n}
                        {c.repeats + c.setAside.length > 0 &&
                          ` (+${c.repeats + c.setAside.length} not counted)`}
                      </span>
                      {best && (
                        <span
                          className="best-mark"
                          aria-label="best in this column"
                          title="best in this column"
                        >
                          {' '}
                          ▲
                        </span>
                      )}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        ▲ best mean in its column. ± half width of the 95 % t-interval over seeds; † fewer than three seeds,
        the interval is not meaningful. Each seed counts once per cell. {definition}
      </p>
    </>
  )
}
