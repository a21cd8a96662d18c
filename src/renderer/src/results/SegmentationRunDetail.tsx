import type { MaskClassDef } from '../../../shared/types'
import { classScores } from '../../../shared/classMetric'

const SCORES = [
  ['iou', 'IoU'],
  ['dice', 'Dice'],
] as const

/**
 * A multi-class run's test scores per mask class as bars in the class's colour (dataset-level: each class's
 * TP, FP and FN summed over the test split). Binary runs have no per-class scores and show nothing here.
 */
export function SegmentationRunDetail({
  final,
  maskClasses,
}: {
  final: Record<string, number>
  maskClasses: MaskClassDef[]
}) {
  const perClass = classScores(final, 'test')
  if (!perClass.length) return null
  const colour = (name: string) => maskClasses.find((m) => m.name === name)?.color ?? 'var(--muted)'
  return (
    <div data-testid="segmentation-class-scores">
      <h3>Per mask class (test, dataset-level)</h3>
      {SCORES.map(([score, label]) => (
        <div key={score} className="class-bars" aria-label={`${label} per mask class`}>
          {perClass.map((c) => (
            <div key={c.className} className="class-bar">
              <span>
                <span className="swatch" style={{ background: colour(c.className) }} /> {c.className} {label}
              </span>
              <span className="class-bar-track">
                <span
                  className="class-bar-fill"
                  style={{ width: `${100 * (c[score] ?? 0)}%`, background: colour(c.className) }}
                />
              </span>
              <span className="muted">{c[score]?.toFixed(3) ?? '—'}</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  )
}
