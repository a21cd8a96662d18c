/**
 * Default colours of mask classes, in the order classes are added: the Okabe–Ito colour-blind-safe palette
 * (Okabe & Ito 2008, "Color Universal Design"), reordered so the first ones stand out most on tissue —
 * bluish green and yellow against the pinks and purples of H&E and the tans and browns of dermoscopy —
 * and leaving out its black, which vanishes on a dark lesion. Plain data, read by the core (new classes)
 * and the renderer (overlays).
 */
export const MASK_CLASS_COLOURS: readonly string[] = [
  '#009e73',
  '#f0e442',
  '#56b4e9',
  '#e69f00',
  '#0072b2',
  '#d55e00',
  '#cc79a7',
]

export function maskClassColour(index: number): string {
  return MASK_CLASS_COLOURS[index % MASK_CLASS_COLOURS.length]
}
