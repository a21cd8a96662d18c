import { useMemo, useState } from 'react'
import type { QueueStrategy } from '../../../shared/contract/labellingLoop'
import type { ProjectInfo, Subset } from '../../../shared/types'
import { LabellingLoopBar } from '../loop/LabellingLoopBar'
import { queueOrder } from '../loop/queueOrder'
import { useLabellingLoop } from '../loop/useLabellingLoop'
import { ImageCard } from './ImageCard'
import { filterImages, isFiltered, NO_FILTER, type ImageFilter, type StateFilter } from './imageFilters'
import { useImages } from './useImages'

const STATES: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'Any state' },
  { value: 'unlabelled', label: 'Unlabelled' },
  { value: 'labelled', label: 'Labelled' },
  { value: 'training', label: 'In the training set' },
  { value: 'mask', label: 'Has a mask' },
  { value: 'no-mask', label: 'No mask' },
]

/** Cards rendered at first; a slide archive can hold thousands, and the browser need not lay them all out. */
const PAGE = 240

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="count" data-testid={testId}>
      <span className="count-value">{value.toLocaleString()}</span>
      <span className="count-label">{label}</span>
    </div>
  )
}

/** The project's images with counts at the top and filters by state, class and subset. */
export function ImageGrid({
  project,
  onOpen,
  onImport,
  onReview,
}: {
  project: ProjectInfo
  onOpen: (imageId: number) => void
  onImport: () => void
  /** Opens an image in the labelling queue of a run ranked by a strategy. */
  onReview: (imageId: number, runId: number, strategy: QueueStrategy) => void
}) {
  const { images, error } = useImages(project.dir)
  const [filter, setFilterState] = useState<ImageFilter>(NO_FILTER)
  const [limit, setLimit] = useState(PAGE)
  const setFilter = (f: ImageFilter) => {
    setFilterState(f)
    setLimit(PAGE)
  }
  const classes = useMemo(() => new Map(project.classes.map((c) => [c.id, c])), [project.classes])
  const loop = useLabellingLoop(project.dir)
  const { ranked } = loop
  // With a run's queue, the queued (unlabelled) images come first, most uncertain first.
  const shown = useMemo(
    () => (images ? queueOrder(filterImages(images, filter), ranked) : []),
    [images, filter, ranked],
  )
  const c = project.counts
  return (
    <div className="page">
      <div className="counts" aria-label="Project counts">
        <Count label="images" value={c.images} testId="count-images" />
        <Count label="labelled" value={c.labelledImages} testId="count-labelled" />
        <Count label="masks" value={c.masks} testId="count-masks" />
        <Count label="tiles" value={c.tiles} testId="count-tiles" />
        <Count label="classes" value={c.classes} testId="count-classes" />
      </div>
      <LabellingLoopBar
        loop={loop}
        onReview={(imageId) =>
          loop.choice.runId !== null && onReview(imageId, loop.choice.runId, loop.choice.strategy)
        }
      />
      <div className="filters" role="group" aria-label="Filters">
        <input
          type="search"
          aria-label="Filter by name"
          placeholder="Filter by name"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select
          aria-label="Filter by state"
          value={filter.state}
          onChange={(e) => setFilter({ ...filter, state: e.target.value as StateFilter })}
        >
          {STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter by class"
          value={String(filter.classId)}
          onChange={(e) => {
            const v = e.target.value
            setFilter({ ...filter, classId: v === 'all' || v === 'none' ? v : Number(v) })
          }}
        >
          <option value="all">Any class</option>
          <option value="none">No class</option>
          {project.classes.map((cls) => (
            <option key={cls.id} value={cls.id}>
              {cls.name}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter by subset"
          value={filter.subset}
          onChange={(e) => setFilter({ ...filter, subset: e.target.value as Subset | 'all' | 'none' })}
        >
          <option value="all">Any subset</option>
          <option value="train">train</option>
          <option value="val">val</option>
          <option value="test">test</option>
          <option value="none">not in a split</option>
        </select>
        {isFiltered(filter) && (
          <button type="button" className="link-button" onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        )}
        <span className="muted filter-summary" data-testid="shown-count">
          {!images
            ? 'Loading…'
            : isFiltered(filter)
              ? `${shown.length} of ${images.length} match`
              : `${images.length} images`}
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {images && images.length === 0 && (
        <div className="empty card">
          <h2>No images yet</h2>
          <p className="muted">
            Import a dataset folder (ISIC-2017, Dermofit, or images with masks and labels.csv).
          </p>
          <button type="button" className="button button-primary" onClick={onImport}>
            Import images…
          </button>
        </div>
      )}
      <div className="image-grid" data-testid="image-grid">
        {shown.slice(0, limit).map((img) => (
          <ImageCard
            key={img.id}
            image={img}
            classes={classes}
            onOpen={() => onOpen(img.id)}
            queued={ranked.get(img.id) ?? null}
            runId={loop.choice.runId}
          />
        ))}
      </div>
      {shown.length > limit && (
        <button type="button" className="button show-more" onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} more of {shown.length - limit} not shown
        </button>
      )}
    </div>
  )
}
