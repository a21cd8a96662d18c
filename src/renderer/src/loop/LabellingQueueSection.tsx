import { STRATEGY_NAMES, type QueueStrategy } from '../../../shared/contract/labellingLoop'
import type { UncertaintyView } from './useUncertaintyLayer'
import { OpacitySlider } from '../ui/OpacitySlider'

/** Where the open image stands in the labelling queue, and how to move on. */
export interface QueuePlace {
  runId: number
  strategy: QueueStrategy
  /** 0-based; -1 when the image is not (or no longer) in the queue. */
  place: number
  total: number
  score: number | null
  /** A classification run's predicted labels for the image (null for segmentation runs). */
  predicted: { className: string; probability: number }[] | null
  /** The next image in the queue, if any. */
  next?: () => void
  /** Moves this image to the end of the queue and opens the next. */
  skip?: () => void
}

/**
 * The labelling queue in the viewer: the image's rank and the run's uncertainty about it, the uncertainty
 * heatmap over the image, and moving on — after accepting or correcting the prediction (the Predictions
 * section), or skipping it.
 */
export function LabellingQueueSection({ q, heat }: { q: QueuePlace; heat: UncertaintyView }) {
  return (
    <section aria-label="Labelling queue">
      <h2>Labelling queue</h2>
      <p data-testid="queue-place">
        {q.place >= 0 ? `Image ${q.place + 1} of ${q.total}` : 'Not in the queue'} · run {q.runId},{' '}
        {STRATEGY_NAMES[q.strategy].toLowerCase()}
        {q.score !== null && ` ${q.score.toFixed(3)}`}
      </p>
      {q.predicted && (
        <p data-testid="queue-predicted-label">
          The run predicts{' '}
          {q.predicted.length === 0
            ? 'none of the classes'
            : q.predicted.map((p) => `${p.className} (${Math.round(p.probability * 100)} %)`).join(', ')}
          : set the image's labels to accept or correct it.
        </p>
      )}
      {/* A classifier's doubt is one number per image: it has no map to lay over the image. */}
      {q.strategy !== 'random' && !q.predicted && (
        <>
          <label>
            <input
              type="checkbox"
              checked={heat.visible}
              onChange={(e) => heat.setVisible(e.target.checked)}
            />{' '}
            Uncertainty heatmap
          </label>
          <OpacitySlider
            label="Opacity"
            name="Uncertainty opacity"
            opacity={heat.opacity}
            setOpacity={heat.setOpacity}
          />
          {heat.error && <p role="alert">{heat.error}</p>}
        </>
      )}
      {!q.predicted && <p className="muted">Accept or correct the prediction below, or skip the image.</p>}
      <div className="row">
        <button type="button" className="button button-primary" disabled={!q.next} onClick={q.next}>
          Next most uncertain
        </button>
        <button type="button" className="button" disabled={!q.skip} onClick={q.skip}>
          Skip
        </button>
      </div>
    </section>
  )
}
