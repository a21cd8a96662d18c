import { useCallback, useEffect, useMemo, useState } from 'react'
import type { PredictionSummary } from '../../../shared/contract/viewer'
import type { MaskClassDef } from '../../../shared/types'
import { client } from '../api/client'
import { fromBase64 } from '../api/base64'
import { useHeatmapTiles } from './heatmap/useHeatmapTiles'
import { DEFAULT_CONFIDENCE } from '../../../shared/types'
import {
  useMaskSession,
  type AcceptChoice,
  type AcceptPredictionOptions,
  type MaskSession,
} from '../annotation/useMaskSession'
import { maskDrawTiles, type MaskReach } from './useMaskReach'
import type { Overlay } from './useOverlay'

/**
 * Colours of the difference view (prediction against the mask), Okabe–Ito: blue where accepting would add a
 * class, vermillion where it would remove one, yellow where it would change the class.
 */
export const DIFFERENCE_COLOURS = ['#0072b2', '#d55e00', '#f0e442']

/** What the prediction layer shows: the run's mask, what accepting it would change, or how sure it was. */
export type PredictionView = 'prediction' | 'difference' | 'probability'

/** What a probability map is of, in words: value 0 is any mask class (the only one, when there is one). */
export function probabilityName(maskClasses: readonly MaskClassDef[], value: number): string {
  if (value === 0) return maskClasses.length === 1 ? maskClasses[0].name : 'any mask class'
  return maskClasses.find((m) => m.value === value)?.name ?? `class value ${value}`
}

/**
 * The trained runs' predictions for this image: which runs have one, the run shown over the slide (its mask,
 * or its difference to the annotator's mask, loaded for the tiles in reach, read-only) and accepting it.
 */
export function usePredictions(
  imageId: number,
  image: { width: number; height: number },
  colours: string[],
  reach: MaskReach,
  mask: MaskSession,
  overlay: Overlay,
  initialRun?: number,
) {
  const [runs, setRuns] = useState<PredictionSummary[]>([])
  const [run, setRun] = useState<number | null>(initialRun ?? null)
  const [visible, setVisible] = useState(true)
  const [view, setView] = useState<PredictionView>('prediction')
  const prediction = useMaskSession(imageId, image.width, image.height, reach.tileSize, colours, {
    runId: run ?? 0,
  })
  // How accepting would go: one choice for the confirmation and the difference view, which draws its result.
  const [acceptChoice, setAcceptChoice] = useState<AcceptChoice>({
    mode: 'replace',
    threshold: DEFAULT_CONFIDENCE,
  })
  const summary = runs.find((r) => r.runId === run)
  // A run that kept no probabilities cannot be accepted by confidence: its difference is of replacing.
  const choice: AcceptChoice =
    acceptChoice.mode === 'confident' && !summary?.probabilities.length
      ? { ...acceptChoice, mode: 'replace' }
      : acceptChoice
  const differenceSource = { runId: run ?? 0, difference: choice }
  const difference = useMaskSession(
    imageId,
    image.width,
    image.height,
    reach.tileSize,
    DIFFERENCE_COLOURS,
    differenceSource,
  )
  const shown = view === 'difference' ? difference : prediction
  const [heatmapClass, setHeatmapClass] = useState(0)
  const [heatmapOpacity, setHeatmapOpacity] = useState(0.6)
  const heatmapShown =
    run !== null && visible && view === 'probability' && !!summary?.probabilities.includes(heatmapClass)
  const loadProbabilities = useCallback(
    (tiles: [number, number][]) =>
      client
        .call('viewer.probabilityTiles', {
          imageId,
          runId: run ?? 0,
          classValue: heatmapClass,
          tileSize: reach.tileSize,
          tiles,
        })
        .then((r) => r.tiles.map((t) => (t === null ? null : fromBase64(t)))),
    [imageId, run, heatmapClass, reach.tileSize],
  )
  const heatmap = useHeatmapTiles(
    heatmapShown ? `${imageId}/${run}/${heatmapClass}` : null,
    loadProbabilities,
    reach,
    image,
  )
  const predictionCanvases = prediction.canvases
  const differenceCanvases = difference.canvases
  useEffect(() => predictionCanvases.setStyle(overlay.prediction), [predictionCanvases, overlay.prediction])
  useEffect(() => differenceCanvases.setStyle(overlay.difference), [differenceCanvases, overlay.difference])

  useEffect(() => {
    client.call('viewer.predictions', { imageId }).then(setRuns, () => undefined)
  }, [imageId])

  const { ensureTiles } = shown
  useEffect(() => {
    if (reach.inReach && run !== null && visible && view !== 'probability') ensureTiles(reach.tiles)
  }, [reach.inReach, reach.tiles, run, visible, view, ensureTiles])

  // The difference is against the mask as it is now: read it again whenever the mask's head moves.
  const head = mask.state?.head?.id ?? null
  const { reload } = difference
  useEffect(() => {
    if (run !== null && view === 'difference') reload()
  }, [head, run, view, reload])

  const { version, canvases } = shown
  const tiles = useMemo(
    () => (run !== null && view !== 'probability' ? maskDrawTiles(shown, reach) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reach.inReach, reach.tiles, reach.tileSize, version, canvases, run, view],
  )

  return {
    runs,
    run,
    setRun,
    visible,
    setVisible,
    view,
    setView,
    tiles,
    /** The probability heatmap: which class value's map, its own opacity, its tiles on screen. */
    heatmap: {
      shown: heatmapShown,
      available: summary?.probabilities ?? [],
      classValue: heatmapClass,
      setClassValue: setHeatmapClass,
      opacity: heatmapOpacity,
      setOpacity: setHeatmapOpacity,
      tiles: heatmap.tiles,
      error: heatmap.error,
    },
    /** How accepting would go (mode and threshold): the confirmation's choice, drawn by the difference view. */
    acceptChoice: choice,
    setAcceptChoice,
    /** Makes the run shown the image's mask (a new revision, undoable), as the confirmation chose. */
    accept: (opts: AcceptPredictionOptions) =>
      run === null ? Promise.resolve() : mask.acceptPrediction(run, opts),
  }
}

export type Predictions = ReturnType<typeof usePredictions>
