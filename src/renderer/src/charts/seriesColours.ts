/** A calm palette that stays distinguishable for common colour-vision deficiencies (Okabe–Ito, reordered). */
export const SERIES_COLOURS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#6b6b6b',
  '#f0e442',
]

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length]
}
