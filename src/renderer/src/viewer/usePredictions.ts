import { useEffect, useMemo, useState } from 'react'
import type { PredictionSummary } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import { useMaskSession, type MaskSession } from '../annotation/useMaskSession'
import { maskDrawTiles, type MaskReach } from './useMaskReach'

/**
 * The trained runs' predictions for this image: which runs have one, the run shown over the slide (its mask
 * loaded for the tiles in reach, read-only) and accepting it as the image's mask.
 */
export function usePredictions(
  imageId: number,
  image: { width: number; height: number },
  colours: string[],
  reach: MaskReach,
  mask: MaskSession,
) {
  const [runs, setRuns] = useState<PredictionSummary[]>([])
  const [run, setRun] = useState<number | null>(null)
  const [visible, setVisible] = useState(true)
  const prediction = useMaskSession(imageId, image.width, image.height, reach.tileSize, colours, run ?? 0)

  useEffect(() => {
    client.call('viewer.predictions', { imageId }).then(setRuns, () => undefined)
  }, [imageId])

  const { ensureTiles } = prediction
  useEffect(() => {
    if (reach.inReach && run !== null && visible) ensureTiles(reach.tiles)
  }, [reach.inReach, reach.tiles, run, visible, ensureTiles])

  const { version, canvases } = prediction
  const tiles = useMemo(
    () => (run !== null ? maskDrawTiles(prediction, reach) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reach.inReach, reach.tiles, reach.tileSize, version, canvases, run],
  )

  return {
    runs,
    run,
    setRun,
    visible,
    setVisible,
    tiles,
    /** Replaces the image's mask with the run shown (a new revision, undoable). */
    accept: () => {
      if (run !== null) void mask.acceptPrediction(run)
    },
  }
}

export type Predictions = ReturnType<typeof usePredictions>
