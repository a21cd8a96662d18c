import type { LabelTask } from '../../../shared/contract/labelFraction'

const TASKS: readonly LabelTask[] = ['segmentation', 'classification']

/** Segmentation or classification, as two segmented buttons: the training panel, experiments and results. */
export function TaskChoice({ task, onChange }: { task: LabelTask; onChange(t: LabelTask): void }) {
  return (
    <div className="segmented">
      {TASKS.map((t) => (
        <button
          key={t}
          type="button"
          className={t === task ? 'segment segment-active' : 'segment'}
          aria-pressed={t === task}
          onClick={() => onChange(t)}
        >
          {t}
        </button>
      ))}
    </div>
  )
}
