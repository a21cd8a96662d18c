import { useEffect, useState } from 'react'
import type { SaliencyLayer, SaliencyRun } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import { rgbaLayerCanvas } from './rgbaLayerCanvas'

/**
 * A classification run's saliency map over this image (paper Figure 2): which run, which class (default:
 * the one the classifier predicts), how opaque, and the map drawn as a canvas.
 */
export function useSaliency(imageId: number) {
  const [runs, setRuns] = useState<SaliencyRun[]>([])
  const [run, setRun] = useState<number | null>(null)
  const [className, setClassName] = useState<string | null>(null)
  const [opacity, setOpacity] = useState(0.7)
  const [layer, setLayer] = useState<{ data: SaliencyLayer; canvas: HTMLCanvasElement } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    client.call('viewer.saliencyRuns', {}).then(setRuns, () => undefined)
  }, [imageId])

  useEffect(() => {
    setLayer(null)
    setError(null)
    if (run === null) return
    let live = true
    setBusy(true)
    client
      .call('viewer.saliency', { imageId, runId: run, ...(className ? { className } : {}) })
      .then(
        (data) => live && setLayer({ data, canvas: rgbaLayerCanvas(data) }),
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      )
      .finally(() => live && setBusy(false))
    return () => {
      live = false
    }
  }, [imageId, run, className])

  return { runs, run, setRun, className, setClassName, opacity, setOpacity, layer, busy, error }
}

export type Saliency = ReturnType<typeof useSaliency>
