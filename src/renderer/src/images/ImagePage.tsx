import type { QueueStrategy } from '../../../shared/contract/labellingLoop'
import type { ProjectInfo } from '../../../shared/types'
import { useLabellingQueue } from '../loop/useLabellingQueue'
import { ImageView } from '../viewer/ImageView'
import { useImages } from './useImages'

/** Previous and next follow which images there are and their order: masks, labels and classes leave both as they are. */
const ORDER_CHANGES = ['opened', 'images'] as const

/**
 * The image route: the viewer on one image, with previous/next through the project's images in grid order,
 * or, in a labelling queue, through the queue (most uncertain first).
 */
export function ImagePage({
  project,
  imageId,
  runId,
  queue,
  onNavigate,
  onClose,
}: {
  project: ProjectInfo
  imageId: number
  runId?: number
  queue?: QueueStrategy
  onNavigate: (imageId: number) => void
  onClose: () => void
}) {
  const { images } = useImages(project.dir, ORDER_CHANGES)
  const ids = images?.map((i) => i.id) ?? []
  const at = ids.indexOf(imageId)
  const prev = at > 0 ? ids[at - 1] : undefined
  const next = at >= 0 && at < ids.length - 1 ? ids[at + 1] : undefined
  const q = useLabellingQueue(
    imageId,
    runId !== undefined && queue ? { runId, strategy: queue } : null,
    onNavigate,
  )
  return (
    <div className="image-route">
      <ImageView
        imageId={imageId}
        runId={runId}
        onClose={onClose}
        onPrev={q ? undefined : prev === undefined ? undefined : () => onNavigate(prev)}
        onNext={q ? q.next : next === undefined ? undefined : () => onNavigate(next)}
        queue={q}
      />
    </div>
  )
}
