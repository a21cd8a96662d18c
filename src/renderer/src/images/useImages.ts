import { useCallback, useEffect, useState } from 'react'
import type { ImageSummary } from '../../../shared/types'
import { client } from '../api/client'

/** The open project's images, reloaded when the project reports new images, labels or masks, or an import ends. */
export function useImages(projectDir: string): {
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
      if (e.type === 'project' && e.change !== 'closed' && e.change !== 'runs') void load()
      // An import changes the images even if its job reports only its own state.
      if (e.type === 'job' && e.job.kind === 'import' && e.job.status === 'succeeded') void load()
    })
  }, [load, projectDir])
  return { images, error }
}
