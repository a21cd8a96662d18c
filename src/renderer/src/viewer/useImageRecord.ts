import { useEffect, useRef, useState } from 'react'
import type { Pyramid } from '../../../shared/contract/viewer'
import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'

/**
 * The project, the image and its tile pyramid, loaded together; `openedAt` is when the image was asked for.
 * The project's classes follow changes made elsewhere (an import that adds mask classes) while it is open.
 * Moving to another image hands out no record until the new one has arrived, never the last image's:
 * otherwise, for one render, the viewer would show the new id with the old record, and a label key pressed
 * then would label the image being left.
 */
export function useImageRecord(imageId: number) {
  const [project, setProject] = useState<ProjectInfo | null>(null)
  const [image, setImage] = useState<ImageSummary | null>(null)
  const [pyramid, setPyramid] = useState<Pyramid | null>(null)
  const [error, setError] = useState<string | null>(null)
  const opened = useRef(performance.now())
  useEffect(() => {
    let live = true
    opened.current = performance.now()
    setImage(null)
    setPyramid(null)
    setError(null)
    Promise.all([
      client.call('project.info', {}),
      client.call('image.get', { id: imageId }),
      client.call('viewer.pyramid', { imageId }),
    ]).then(
      ([p, i, pyr]) => {
        if (!live) return
        setProject(p)
        setImage(i)
        setPyramid(pyr)
      },
      (e: Error) => live && setError(e.message),
    )
    const stop = client.onEvent((e) => {
      if (e.type === 'project' && e.change === 'classes')
        void client.call('project.info', {}).then((p) => live && setProject(p))
    })
    return () => {
      live = false
      stop()
    }
  }, [imageId])
  return {
    project,
    setProject,
    image: image?.id === imageId ? image : null,
    setImage,
    pyramid: pyramid?.imageId === imageId ? pyramid : null,
    error,
    openedAt: opened.current,
  }
}
