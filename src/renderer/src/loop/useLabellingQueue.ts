import { useEffect, useState } from 'react'
import type { QueuedImage, QueueStrategy } from '../../../shared/contract/labellingLoop'
import { client } from '../api/client'
import type { QueuePlace } from './LabellingQueueSection'

/**
 * The queue the viewer walks: fetched once per run and strategy and then kept as it was, so accepting an
 * image (which takes it out of the unlabelled pool) does not reshuffle the walk; skipped images go last.
 */
export function useLabellingQueue(
  imageId: number,
  queue: { runId: number; strategy: QueueStrategy } | null,
  open: (imageId: number) => void,
): QueuePlace | null {
  const [images, setImages] = useState<QueuedImage[] | null>(null)
  const key = queue ? `${queue.runId}/${queue.strategy}` : null
  useEffect(() => {
    setImages(null)
    if (!queue) return
    let live = true
    client.call('loop.queue', { runId: queue.runId, strategy: queue.strategy }).then(
      (q) => live && setImages(q.images),
      () => live && setImages([]),
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  if (!queue || !images) return null
  const place = images.findIndex((q) => q.imageId === imageId)
  const after = images[place + 1]
  return {
    ...queue,
    place,
    total: images.length,
    score: place >= 0 ? images[place].score : null,
    predicted: place >= 0 ? (images[place].predicted ?? null) : null,
    next: after ? () => open(after.imageId) : undefined,
    skip:
      place >= 0 && after
        ? () => {
            setImages([...images.slice(0, place), ...images.slice(place + 1), images[place]])
            open(after.imageId)
          }
        : undefined,
  }
}
