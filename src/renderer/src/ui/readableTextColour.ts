/** Dark or light text for a badge on a #rrggbb background, by WCAG relative luminance. */
export function readableTextColour(background: string): '#ffffff' | '#1b2430' {
  const m = /^#?([0-9a-f]{6})$/i.exec(background.trim())
  if (!m) return '#1b2430'
  const n = parseInt(m[1], 16)
  const channel = (v: number) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const l = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  // Contrast against white is (1.05)/(l+0.05), against our text colour #1b2430 (luminance 0.0171) (l+0.05)/0.0671: pick the larger.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0671 ? '#ffffff' : '#1b2430'
}
