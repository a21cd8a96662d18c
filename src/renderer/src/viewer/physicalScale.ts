/**
 * The viewer's physical scale: a scale bar of a round length in microns, and the zoom said as the
 * objective magnification a pathologist would use (a 40× scan shown at 50 % looks like 20×).
 */

/** Objective magnifications offered as zoom steps (scanners scan at 20× or 40×; pathologists read at these). */
export const MAGNIFICATION_STEPS = [1.25, 2.5, 5, 10, 20, 40] as const

export interface ScaleBar {
  /** Length of the bar in microns: 1, 2 or 5 × 10^k. */
  microns: number
  /** Its length on screen, in CSS pixels. */
  px: number
  label: string
}

/** The longest 1-2-5 round length that fits in `maxPx` on screen at `viewScale` screen px per image px. */
export function scaleBar(micronsPerPixel: number, viewScale: number, maxPx = 160): ScaleBar {
  if (!(micronsPerPixel > 0 && viewScale > 0))
    throw new Error('scaleBar needs a positive pixel size and zoom')
  const pxPerMicron = viewScale / micronsPerPixel
  const fits = maxPx / pxPerMicron
  const decade = 10 ** Math.floor(Math.log10(fits))
  const microns = [5, 2, 1].map((m) => m * decade).find((v) => v <= fits * (1 + 1e-9)) ?? decade
  return { microns, px: microns * pxPerMicron, label: lengthLabel(microns) }
}

export function lengthLabel(microns: number): string {
  const round = (v: number) => String(Number(v.toPrecision(3)))
  if (microns >= 1000) return `${round(microns / 1000)} mm`
  if (microns >= 1) return `${round(microns)} µm`
  return `${round(microns * 1000)} nm`
}

/** The magnification the screen shows: the scan's, times the zoom (screen px per image px). */
export function magnificationAt(scanMagnification: number, viewScale: number): number {
  return scanMagnification * viewScale
}

export function magnificationLabel(m: number): string {
  if (m >= 10) return `${Math.round(m)}×`
  return `${Number(m.toPrecision(2))}×`
}

/** The zoom (screen px per image px) that shows the slide at `target` magnification. */
export function zoomForMagnification(target: number, scanMagnification: number): number {
  return target / scanMagnification
}

/** Steps worth offering for a scan: up to twice its own magnification (beyond that it is only blur). */
export function magnificationSteps(scanMagnification: number): number[] {
  return MAGNIFICATION_STEPS.filter((m) => m <= scanMagnification * 2)
}
