import { useCallback, useEffect, useState } from 'react'
import type { ImageSummary } from '../../../shared/types'
import { client } from '../api/client'

/** The open project's images, reloaded when the project reports new images, labels or masks. */
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
    })
  }, [load, projectDir])
  return { images, error }
}
