import { useEffect, useState } from 'react'
import type { UncertaintyLayer, UncertaintyStrategyName } from '../../../shared/contract/labellingLoop'
import { client } from '../api/client'
import { rgbaLayerCanvas } from '../viewer/rgbaLayerCanvas'

/**
 * Where a run is unsure about this image, as a heatmap over it (the labelling queue's view): the run's stored
 * uncertainty map under a strategy, shown or hidden, with its opacity. Random ranks without a map.
 */
export function useUncertaintyLayer(
  imageId: number,
  runId: number | null,
  strategy: UncertaintyStrategyName | null,
) {
  const [layer, setLayer] = useState<{ data: UncertaintyLayer; canvas: HTMLCanvasElement } | null>(null)
  const [visible, setVisible] = useState(true)
  const [opacity, setOpacity] = useState(0.6)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setLayer(null)
    setError(null)
    if (runId === null || strategy === null) return
    let live = true
    client.call('loop.uncertaintyLayer', { imageId, runId, strategy }).then(
      (data) => live && setLayer({ data, canvas: rgbaLayerCanvas(data) }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [imageId, runId, strategy])
  return { layer, visible, setVisible, opacity, setOpacity, error }
}

export type UncertaintyView = ReturnType<typeof useUncertaintyLayer>
