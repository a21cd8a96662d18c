import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { actualSizeView, fitView, zoomAt, type View } from './viewTransform'

/**
 * The part of the image on screen: the canvas's measured size and the view (scale and offset), fitted once
 * the size is known, with the moves the keys and buttons make. `viewRef` is the latest view for event handlers.
 */
export function useViewport(imageWidth: number, imageHeight: number) {
  const container = useRef<HTMLDivElement>(null)
  // Unknown until the layout is measured: fitting to a guessed size would leave the first view wrong.
  const [measured, setSize] = useState<{ width: number; height: number } | null>(null)
  const size = useMemo(() => measured ?? { width: 800, height: 600 }, [measured])
  const [view, setView] = useState<View | null>(null)
  const viewRef = useRef<View | null>(null)
  viewRef.current = view

  // The viewport follows the window.
  useEffect(() => {
    const el = container.current
    if (!el) return
    const ro = new ResizeObserver(([e]) => {
      const width = Math.max(50, Math.floor(e.contentRect.width))
      const height = Math.max(50, Math.floor(e.contentRect.height))
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  useEffect(() => {
    if (measured && !viewRef.current)
      setView(fitView(imageWidth, imageHeight, measured.width, measured.height))
  }, [measured, imageWidth, imageHeight])

  const fit = useCallback(
    () => setView(fitView(imageWidth, imageHeight, size.width, size.height)),
    [imageWidth, imageHeight, size],
  )
  const actualSize = useCallback(
    () => setView((v) => v && actualSizeView(v, size.width / 2, size.height / 2)),
    [size],
  )
  const zoomBy = useCallback(
    (factor: number) => setView((v) => v && zoomAt(v, factor, size.width / 2, size.height / 2)),
    [size],
  )
  const look = useCallback(
    (dx: number, dy: number) => {
      const step = 0.1 * Math.min(size.width, size.height)
      setView((v) => v && { ...v, x: v.x - dx * step, y: v.y - dy * step })
    },
    [size],
  )
  /** Puts image point (x, y) in the middle of the screen. */
  const centreOn = useCallback(
    (x: number, y: number) =>
      setView((v) => v && { ...v, x: size.width / 2 - x * v.scale, y: size.height / 2 - y * v.scale }),
    [size],
  )
  return { container, size, view, viewRef, setView, fit, actualSize, zoomBy, look, centreOn }
}

export type Viewport = ReturnType<typeof useViewport>
