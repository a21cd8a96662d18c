import type { ClassDef, LabelMode } from '../../shared/types'

export type DemoVariant = LabelMode

/**
 * The demo's image labels. Multi-class mimics ISIC-2017 (one diagnosis per dermoscopy image); multi-label
 * mimics the Dermatomyositis slides (findings that can co-occur). Order is the labels.csv column order;
 * `maskClass` is the mask class an image with that label shows.
 */
export const DEMO_CLASSES: Record<
  DemoVariant,
  (Omit<ClassDef, 'id' | 'maskClassId'> & { maskClass: string })[]
> = {
  'multi-class': [
    { name: 'nevus', color: '#8c5a3c', maskClass: 'lesion' },
    { name: 'melanoma', color: '#2b1b1b', maskClass: 'lesion' },
    { name: 'keratosis', color: '#c9a26a', maskClass: 'lesion' },
  ],
  'multi-label': [
    { name: 'inflammation', color: '#4b3c9e', maskClass: 'cell' },
    { name: 'vessel', color: '#d83c3c', maskClass: 'vessel' },
    { name: 'necrosis', color: '#b0a0a8', maskClass: 'necrosis' },
  ],
}

/**
 * What the demo's mask pixels are, values 1, 2, … in this order (0 is background). The lesion demo's masks
 * are binary, the lesion against the skin, as ISIC ships them; the H&E demo's mark every cell's nucleus,
 * the vessels and the necrotic areas (stroma is background).
 */
export const DEMO_MASK_CLASSES: Record<DemoVariant, string[]> = {
  'multi-class': ['lesion'],
  'multi-label': ['cell', 'vessel', 'necrosis'],
}

/** Pixel values of the H&E demo's mask classes (see DEMO_MASK_CLASSES). */
export const HISTOLOGY_MASK = { cell: 1, vessel: 2, necrosis: 3 } as const

export const DEMO_VARIANTS: readonly DemoVariant[] = ['multi-class', 'multi-label']

export function isDemoVariant(v: string): v is DemoVariant {
  return (DEMO_VARIANTS as readonly string[]).includes(v)
}
