import { evaluationMetric, evaluationMetricsOf } from '../../../shared/evaluationMetrics'

/** A run's final evaluation scores, each named exactly with how it is computed. */
export function RunFinalScores({ task, final }: { task: string; final: Record<string, number> }) {
  const names = evaluationMetricsOf(
    Object.keys(final),
    task === 'classification' ? 'classification' : 'segmentation',
  )
  if (names.length === 0) return <p className="muted">No final scores yet.</p>
  return (
    <table className="data-table compact" data-testid="run-final-scores">
      <tbody>
        {names.map((n) => {
          const m = evaluationMetric(n)!
          return (
            <tr key={n}>
              <th scope="row" title={m.definition}>
                {m.label}
              </th>
              <td>{final[n].toFixed(4)}</td>
              <td className="muted small">{m.definition}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
