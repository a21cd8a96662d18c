import { useEffect, useState } from 'react'
import type { TissueLayer } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import { rgbaLayerCanvas } from './rgbaLayerCanvas'

/**
 * A slide's tissue mask, shown on request: the glass/tissue decision that chooses which tiles training
 * and prediction use. Fetched when first shown; `found` is null when the image has no tissue detection.
 */
export function useTissue(imageId: number) {
  const [shown, setShown] = useState(false)
  const [found, setFound] = useState<{ data: TissueLayer; canvas: HTMLCanvasElement } | null | undefined>()
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setFound(undefined)
    setError(null)
    if (!shown) return
    let live = true
    client.call('viewer.tissue', { imageId }).then(
      (data) => live && setFound(data && { data, canvas: rgbaLayerCanvas(data) }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [imageId, shown])

  return { shown, setShown, found, error }
}

export type Tissue = ReturnType<typeof useTissue>
