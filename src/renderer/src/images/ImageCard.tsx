import type { ClassDef, ImageSummary } from '../../../shared/types'
import { client } from '../api/client'
import { ClassBadge } from './ClassBadge'

/** One thumbnail with what a labeller needs at a glance: labels, mask, training use and subset. */
export function ImageCard({
  image,
  classes,
  onOpen,
  queued = null,
  runId = null,
}: {
  image: ImageSummary
  classes: Map<number, ClassDef>
  onOpen: () => void
  /**
   * Its place in the labelling queue, the run's uncertainty score and, for a classification run, the labels
   * it predicts with their probabilities (null: not queued).
   */
  queued?: {
    place: number
    score: number | null
    /** What the score measures ('entropy'); null when ranked at random. */
    scoreName?: string | null
    predicted?: { className: string; probability: number }[] | null
  } | null
  runId?: number | null
}) {
  return (
    <button
      type="button"
      className="image-card"
      onClick={onOpen}
      data-testid="image-card"
      data-image-id={image.id}
    >
      <div className="thumb">
        <img src={client.blobUrl(image.blob)} alt={image.name} loading="lazy" decoding="async" />
        <div className="thumb-flags">
          {image.hasMask && (
            <span className="flag flag-mask" title="Has a mask">
              mask
            </span>
          )}
          {image.maskReviewed && (
            <span
              className="flag flag-reviewed"
              data-testid="reviewed-badge"
              title="Its mask came from an accepted prediction: reviewed, not drawn by hand. Hand-only training leaves it out."
            >
              reviewed
            </span>
          )}
          {queued && (
            <span
              className="flag flag-prediction"
              data-testid="prediction-badge"
              title={`Predicted by run ${runId}; number ${queued.place + 1} in the labelling queue`}
            >
              #{queued.place + 1}
              {queued.score !== null && ` · ${queued.scoreName ?? 'score'} ${queued.score.toFixed(3)}`}
            </span>
          )}
          {queued?.predicted && (
            <span
              className="flag flag-predicted-label"
              data-testid="predicted-label"
              title={`What run ${runId} predicts for this image, with its probability`}
            >
              {queued.predicted.length === 0
                ? 'predicts none of the classes'
                : queued.predicted
                    .map((p) => `${p.className} ${Math.round(p.probability * 100)}\u00a0%`)
                    .join(', ')}
            </span>
          )}
          {image.inTrainingSet && (
            <span className="flag flag-train" title="Its labels are used for training">
              in training set
            </span>
          )}
        </div>
      </div>
      <div className="image-meta">
        <div className="image-name" title={image.name}>
          {image.name.slice(image.name.lastIndexOf('/') + 1)}
        </div>
        <div className="image-sub muted">
          {image.width}×{image.height}
          {image.tileCount > 0 && ` · ${image.tileCount} tile${image.tileCount === 1 ? '' : 's'}`}
          {image.subset && <span className={`subset subset-${image.subset}`}>{image.subset}</span>}
        </div>
        <div className="badges">
          {image.labels.length === 0 ? (
            // Labelled with no class is a real answer in multi-label projects (no finding), not a gap.
            <span className="unlabelled">{image.labelled ? 'none of the classes' : 'unlabelled'}</span>
          ) : (
            image.labels.map((id) => {
              const cls = classes.get(id)
              return cls ? <ClassBadge key={id} cls={cls} /> : null
            })
          )}
        </div>
      </div>
    </button>
  )
}
