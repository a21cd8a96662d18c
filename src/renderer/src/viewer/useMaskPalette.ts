import { useMemo } from 'react'
import type { MaskClassDef } from '../../../shared/types'

/**
 * The palette is the mask classes (what a pixel is); the image labels (diagnoses) are chips apart.
 * `values`: their pixel values in palette order; `colours`: the overlay colour per pixel value (value k at
 * k − 1; a value no class has stays '' and shows magenta).
 */
export function useMaskPalette(maskClasses: readonly MaskClassDef[]) {
  const values = useMemo(() => maskClasses.map((m) => m.value), [maskClasses])
  const colours = useMemo(() => {
    const out: string[] = Array.from({ length: Math.max(0, ...values) }, () => '')
    for (const m of maskClasses) out[m.value - 1] = m.color
    return out
  }, [maskClasses, values])
  return { values, colours }
}
