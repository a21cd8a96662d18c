import type { ProjectInfo } from '../../../shared/types'
import { MaskOverlayPanel } from './MaskOverlayPanel'
import { useImages } from './useImages'

/** The image route: one image, with previous/next through the project's images in grid order. */
export function ImagePage({
  project,
  imageId,
  onNavigate,
  onClose,
}: {
  project: ProjectInfo
  imageId: number
  onNavigate: (imageId: number) => void
  onClose: () => void
}) {
  const { images } = useImages(project.dir)
  return (
    <MaskOverlayPanel
      project={project}
      imageId={imageId}
      neighbours={images?.map((i) => i.id) ?? []}
      onNavigate={onNavigate}
      onClose={onClose}
    />
  )
}
