/** A determinate bar when the fraction is known, an indeterminate stripe while it is not. */
export function ProgressBar({ fraction, label }: { fraction: number | null; label?: string }) {
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div
      className={pct === null ? 'progress progress-indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={{ width: pct === null ? undefined : `${pct}%` }} />
    </div>
  )
}
