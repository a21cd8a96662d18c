import { STRATEGY_NAMES, type QueueStrategy } from '../../../shared/contract/labellingLoop'
import { formatDuration } from '../../../shared/formatDuration'
import { percent } from '../train/percent'
import type { LabellingLoop } from './useLabellingLoop'

/**
 * The labelling loop over the grid: which finished run predicts, how its doubt is ranked, predicting the
 * unlabelled images as a job (progress, time left, cancel), and walking the queue from the most uncertain.
 */
export function LabellingLoopBar({
  loop,
  onReview,
}: {
  loop: LabellingLoop
  onReview: (imageId: number) => void
}) {
  if (loop.runs.length === 0) return null
  const { choice, run, queue, job } = loop
  const running = job && (job.status === 'running' || job.status === 'queued')
  const strategies: QueueStrategy[] = [...(run?.strategies ?? ['entropy']), 'random']
  const first = queue?.images[0]
  return (
    <section className="labelling-loop card" aria-label="Labelling loop">
      <h2>What to label next</h2>
      <select
        aria-label="Loop run"
        value={choice.runId ?? ''}
        onChange={(e) => {
          const runId = e.target.value ? Number(e.target.value) : null
          const r = loop.runs.find((x) => x.runId === runId)
          const strategy =
            r && choice.strategy !== 'random' && !r.strategies.includes(choice.strategy)
              ? 'entropy'
              : choice.strategy
          loop.setChoice({ runId, strategy })
        }}
      >
        <option value="">Choose a trained run…</option>
        {loop.runs.map((r) => (
          <option key={r.runId} value={r.runId}>
            Run {r.runId} ({r.task === 'classification' ? `${r.method} classifier` : r.method}
            {r.labelFraction !== null ? `, ${percent(r.labelFraction)} labels` : ''}, seed {r.seed})
          </option>
        ))}
      </select>
      <select
        aria-label="Rank by"
        value={choice.strategy}
        disabled={!run}
        onChange={(e) => loop.setChoice({ ...choice, strategy: e.target.value as QueueStrategy })}
      >
        {strategies.map((s) => (
          <option key={s} value={s}>
            {STRATEGY_NAMES[s]}
          </option>
        ))}
      </select>
      <button type="button" className="button" disabled={!run || !!running} onClick={loop.predict}>
        Predict unlabelled images
      </button>
      {first && (
        <button type="button" className="button button-primary" onClick={() => onReview(first.imageId)}>
          Review the most uncertain
        </button>
      )}
      <button
        type="button"
        className="button"
        disabled={!run}
        title="Train this run's configuration again on what is labelled now, as a new run in the same experiment"
        onClick={loop.retrain}
      >
        Retrain with the new labels
      </button>
      {loop.retrained !== null && (
        <span className="muted" role="status">
          Run {loop.retrained} is training (see Jobs; its result joins the same experiment)
        </span>
      )}
      {running && (
        <span className="loop-progress" role="status">
          {job.progress.message}
          {job.progress.fraction !== null && (
            <progress value={job.progress.fraction} max={1} aria-label="Prediction progress" />
          )}
          {job.progress.etaSeconds !== undefined && ` · ${formatDuration(job.progress.etaSeconds)} left`}
          <button type="button" className="link-button" onClick={loop.cancel}>
            Cancel
          </button>
        </span>
      )}
      {queue && !running && (
        <span className="muted" data-testid="loop-summary">
          {queue.images.length} unlabelled image{queue.images.length === 1 ? '' : 's'} ranked
          {queue.unscored > 0 && ` · ${queue.unscored} not predicted yet`}
          {queue.images.length > 0 &&
            (choice.strategy === 'random'
              ? ' · grid in random order'
              : ' · grid sorted, most uncertain first')}
        </span>
      )}
      {loop.error && (
        <p className="form-error" role="alert">
          {loop.error}
        </p>
      )}
    </section>
  )
}
