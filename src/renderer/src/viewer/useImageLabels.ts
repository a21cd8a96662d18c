import { useCallback } from 'react'
import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'

/** The image's labels: set (multi-class) or toggle (multi-label) a class, or clear them; errors go to `onError`. */
export function useImageLabels(
  project: ProjectInfo,
  image: ImageSummary,
  setImage: (i: ImageSummary) => void,
  onError: (message: string) => void,
) {
  const setLabels = useCallback(
    (classIds: number[] | null) => {
      client
        .call('labels.set', { imageId: image.id, classIds })
        .then(setImage, (e: Error) => onError(e.message))
    },
    [image.id, setImage, onError],
  )
  const toggle = useCallback(
    (classId: number) => {
      if (project.labelMode === 'multi-class') setLabels([classId])
      else
        setLabels(
          image.labels.includes(classId)
            ? image.labels.filter((c) => c !== classId)
            : [...image.labels, classId],
        )
    },
    [project.labelMode, image.labels, setLabels],
  )
  return { toggle, clear: useCallback(() => setLabels(null), [setLabels]) }
}
