import type { ProjectInfo } from '../../../shared/types'
import { ImageView } from '../viewer/ImageView'
import { useImages } from './useImages'

/** The image route: the viewer on one image, with previous/next through the project's images in grid order. */
export function ImagePage({
  project,
  imageId,
  runId,
  onNavigate,
  onClose,
}: {
  project: ProjectInfo
  imageId: number
  runId?: number
  onNavigate: (imageId: number) => void
  onClose: () => void
}) {
  const { images } = useImages(project.dir)
  const ids = images?.map((i) => i.id) ?? []
  const at = ids.indexOf(imageId)
  const prev = at > 0 ? ids[at - 1] : undefined
  const next = at >= 0 && at < ids.length - 1 ? ids[at + 1] : undefined
  return (
    <div className="image-route">
      <ImageView
        imageId={imageId}
        runId={runId}
        onClose={onClose}
        onPrev={prev === undefined ? undefined : () => onNavigate(prev)}
        onNext={next === undefined ? undefined : () => onNavigate(next)}
      />
    </div>
  )
}
