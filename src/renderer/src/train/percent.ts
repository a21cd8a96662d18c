/** A label fraction (0–1) as people read it: 0.3 → "30 %". The renderer's one conversion to percent. */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`
}
