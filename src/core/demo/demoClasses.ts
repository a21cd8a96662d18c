import type { ClassDef, LabelMode } from '../../shared/types'

export type DemoVariant = LabelMode

/**
 * The demo's classes. Multi-class mimics ISIC-2017 (one diagnosis per dermoscopy image); multi-label
 * mimics the Dermatomyositis slides (findings that can co-occur). Order is the labels.csv column order.
 */
export const DEMO_CLASSES: Record<DemoVariant, Omit<ClassDef, 'id'>[]> = {
  'multi-class': [
    { name: 'nevus', color: '#8c5a3c' },
    { name: 'melanoma', color: '#2b1b1b' },
    { name: 'keratosis', color: '#c9a26a' },
  ],
  'multi-label': [
    { name: 'inflammation', color: '#4b3c9e' },
    { name: 'vessel', color: '#d83c3c' },
    { name: 'necrosis', color: '#b0a0a8' },
  ],
}

export const DEMO_VARIANTS: readonly DemoVariant[] = ['multi-class', 'multi-label']

export function isDemoVariant(v: string): v is DemoVariant {
  return (DEMO_VARIANTS as readonly string[]).includes(v)
}
