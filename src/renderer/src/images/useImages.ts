import { useCallback, useEffect, useState } from 'react'
import type { ApiEvent } from '../../../shared/events'
import type { ImageSummary } from '../../../shared/types'
import { client } from '../api/client'

type ProjectChange = Extract<ApiEvent, { type: 'project' }>['change']

/** What the grid shows changes with images, their labels, masks and classes (not with runs). */
const GRID_CHANGES: readonly ProjectChange[] = ['opened', 'images', 'labels', 'classes', 'mask']

/**
 * The open project's images, reloaded when the project reports one of `changes` (by default every change the
 * grid shows: new images, labels, masks, classes) or an import ends. A page that needs only which images
 * there are and their order asks for fewer: the whole list of a 5,000-image project is 1.5 MB, 20 ms in the
 * server, and reloading it at the end of every brush stroke would also render the viewer again.
 */
export function useImages(
  projectDir: string,
  changes: readonly ProjectChange[] = GRID_CHANGES,
): {
  images: ImageSummary[] | null
  error: string | null
} {
  const [images, setImages] = useState<ImageSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(
    () =>
      client.call('images.list', {}).then(
        (list) => {
          setImages(list)
          setError(null)
        },
        (e: Error) => setError(e.message),
      ),
    [],
  )
  useEffect(() => {
    setImages(null)
    void load()
    return client.onEvent((e) => {
      if (e.type === 'project' && changes.includes(e.change)) void load()
      // An import changes the images even if its job reports only its own state.
      if (e.type === 'job' && e.job.kind === 'import' && e.job.status === 'succeeded') void load()
    })
  }, [load, projectDir, changes])
  return { images, error }
}
