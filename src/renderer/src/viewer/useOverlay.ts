import { useMemo, useState } from 'react'
import { outlineWidthFor, type OverlayMode, type OverlayStyle } from '../annotation/overlayStyle'

/**
 * How the mask and the prediction are drawn over the tissue: fill, outline or both, the fill opacity, which
 * mask classes are shown, and the prediction's own mode and opacity (dashed outlines by default, so it is
 * never mistaken for an annotation). Outlines widen when zoomed out so they stay visible.
 */
export function useOverlay(scale: number) {
  const [mode, setMode] = useState<OverlayMode>('both')
  const [opacity, setOpacity] = useState(0.35)
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set())
  const [predictionMode, setPredictionMode] = useState<OverlayMode>('outline')
  const [predictionOpacity, setPredictionOpacity] = useState(0.3)
  const outlineWidth = outlineWidthFor(scale)
  const mask: OverlayStyle = useMemo(
    () => ({ mode, fillOpacity: opacity, outlineWidth, dashed: false, hidden }),
    [mode, opacity, outlineWidth, hidden],
  )
  const prediction: OverlayStyle = useMemo(
    () => ({ mode: predictionMode, fillOpacity: predictionOpacity, outlineWidth, dashed: true, hidden }),
    [predictionMode, predictionOpacity, outlineWidth, hidden],
  )
  // The difference view is filled: each pixel's colour says what accepting would do there.
  const difference: OverlayStyle = useMemo(
    () => ({
      mode: 'fill',
      fillOpacity: Math.max(0.5, predictionOpacity),
      outlineWidth,
      dashed: false,
      hidden: new Set(),
    }),
    [predictionOpacity, outlineWidth],
  )
  return {
    mask,
    prediction,
    difference,
    mode,
    setMode,
    opacity,
    setOpacity,
    hidden,
    toggleHidden: (value: number) =>
      setHidden((h) => {
        const next = new Set(h)
        if (!next.delete(value)) next.add(value)
        return next
      }),
    predictionMode,
    setPredictionMode,
    predictionOpacity,
    setPredictionOpacity,
  }
}

export type Overlay = ReturnType<typeof useOverlay>
