import { classificationDetail } from '../../../shared/classificationDetail'
import { TrivialAnswerLine } from './TrivialAnswerLine'

function shade(value: number, max: number): string {
  const a = max > 0 ? value / max : 0
  return `rgba(43, 108, 176, ${(0.08 + 0.72 * a).toFixed(2)})`
}

/** Per-class F1 as bars, with the confusion matrix (multi-class) or each label's 2×2 (multi-label). */
export function ClassificationRunDetail({ final }: { final: Record<string, number> }) {
  const d = classificationDetail(final)
  if (!d.classes.length) return null
  return (
    <div className="classification-detail" data-testid="classification-detail">
      <TrivialAnswerLine final={final} />
      <div>
        <h3>Per class (test)</h3>
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Class</th>
              <th>F1</th>
              <th>Precision</th>
              <th>Recall</th>
            </tr>
          </thead>
          <tbody>
            {d.classes.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.f1.toFixed(3)}</td>
                <td>{c.precision.toFixed(3)}</td>
                <td>{c.recall.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.confusion && (
        <div>
          <h3>Confusion matrix (test images)</h3>
          <table className="data-table compact confusion" aria-label="Confusion matrix">
            <thead>
              <tr>
                <th>true ↓ · predicted →</th>
                {d.confusion.names.map((n) => (
                  <th key={n}>{n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.confusion.counts.map((row, t) => {
                const max = Math.max(...d.confusion!.counts.flat())
                return (
                  <tr key={d.confusion!.names[t]}>
                    <th scope="row">{d.confusion!.names[t]}</th>
                    {row.map((v, p) => (
                      <td key={p} style={{ background: shade(v, max) }}>
                        {v}
                      </td>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {d.labelMatrices && (
        <div>
          <h3>Each label (test images)</h3>
          <div className="label-matrices">
            {d.labelMatrices.map((m) => (
              <table key={m.name} className="data-table compact" aria-label={`${m.name} 2×2`}>
                <caption>{m.name}</caption>
                <thead>
                  <tr>
                    <th />
                    <th>said yes</th>
                    <th>said no</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">has it</th>
                    <td>{m.tp}</td>
                    <td>{m.fn}</td>
                  </tr>
                  <tr>
                    <th scope="row">has not</th>
                    <td>{m.fp}</td>
                    <td>{m.tn}</td>
                  </tr>
                </tbody>
              </table>
            ))}
          </div>
        </div>
      )}
    </div>
  )
}
