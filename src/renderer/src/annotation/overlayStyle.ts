/** How a mask is drawn over the tissue. */
export type OverlayMode = 'fill' | 'outline' | 'both'

export interface OverlayStyle {
  mode: OverlayMode
  /** Opacity of the fill (0–1); outlines are drawn opaque so they stay readable over any tissue. */
  fillOpacity: number
  /** Outline thickness in image pixels (the viewer widens it when zoomed out, so it stays visible). */
  outlineWidth: number
  /** Dashed outlines: how predictions are told apart from annotations. */
  dashed: boolean
  /** Pixel values not drawn (classes switched off in the legend). */
  hidden: ReadonlySet<number>
}

export const DEFAULT_OVERLAY: OverlayStyle = {
  mode: 'both',
  fillOpacity: 0.35,
  outlineWidth: 1,
  dashed: false,
  hidden: new Set(),
}

export function sameStyle(a: OverlayStyle, b: OverlayStyle): boolean {
  return (
    a.mode === b.mode &&
    a.fillOpacity === b.fillOpacity &&
    a.outlineWidth === b.outlineWidth &&
    a.dashed === b.dashed &&
    a.hidden.size === b.hidden.size &&
    [...a.hidden].every((v) => b.hidden.has(v))
  )
}

/** Outline thickness for a zoom: about 1.5 screen pixels, in powers of two so zooming repaints rarely. */
export function outlineWidthFor(scale: number): number {
  const want = Math.min(16, Math.max(1, 1.5 / scale))
  return 2 ** Math.round(Math.log2(want))
}

/**
 * RGBA of a rectangle of the mask as the style draws it. `values` covers `area` (the rectangle grown by the
 * outline width plus one, so edges at its border are seen); `rect` is the part to draw, inside `area`.
 * A pixel is on the outline when a pixel of another value lies within `outlineWidth` (4-neighbour edges,
 * dilated by a box), so the outline runs along the inside of each class's border. The image's own border is
 * not an edge. `palette` holds RGBA per value. `out` holds `stride` pixels a row (a reused buffer may be wider
 * than `rect`); the rectangle is written at its top left.
 */
export function overlayPixels(
  values: Uint8Array,
  area: { x: number; y: number; width: number; height: number },
  rect: { x: number; y: number; width: number; height: number },
  palette: Uint8ClampedArray,
  style: OverlayStyle,
  out: Uint8ClampedArray,
  stride = rect.width,
): void {
  const { width: aw, height: ah } = area
  const fillAlpha = Math.round(255 * Math.min(1, Math.max(0, style.fillOpacity)))
  const outline = style.mode !== 'fill' ? outlineMask(values, aw, ah, style.outlineWidth) : null
  const dash = 3 * style.outlineWidth
  for (let y = 0; y < rect.height; y++) {
    const ay = rect.y - area.y + y
    for (let x = 0; x < rect.width; x++) {
      const ax = rect.x - area.x + x
      const v = values[ay * aw + ax]
      const o = (y * stride + x) * 4
      let alpha = 0
      if (v !== 0 && !style.hidden.has(v)) {
        const onOutline =
          outline !== null &&
          outline[ay * aw + ax] === 1 &&
          !(style.dashed && Math.floor((rect.x + x + rect.y + y) / dash) % 2 === 1)
        alpha = onOutline ? 255 : style.mode === 'outline' ? 0 : fillAlpha
      }
      if (alpha === 0) {
        out[o + 3] = 0
        continue
      }
      out[o] = palette[v * 4]
      out[o + 1] = palette[v * 4 + 1]
      out[o + 2] = palette[v * 4 + 2]
      out[o + 3] = Math.min(alpha, palette[v * 4 + 3])
    }
  }
}

/** 1 where a pixel of another value lies within `width` pixels (box distance), on class pixels only. */
function outlineMask(values: Uint8Array, w: number, h: number, width: number): Uint8Array {
  const edge = new Uint8Array(w * h)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x
      const v = values[i]
      if (v === 0) continue
      if (
        (x > 0 && values[i - 1] !== v) ||
        (x < w - 1 && values[i + 1] !== v) ||
        (y > 0 && values[i - w] !== v) ||
        (y < h - 1 && values[i + w] !== v)
      )
        edge[i] = 1
    }
  const r = Math.max(0, Math.round(width) - 1)
  if (r === 0) return edge
  // Box dilation by r, row pass then column pass, each with a running count over the window.
  const rows = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) {
    let count = 0
    for (let x = 0; x < Math.min(r, w); x++) count += edge[y * w + x]
    for (let x = 0; x < w; x++) {
      if (x + r < w) count += edge[y * w + x + r]
      if (x - r - 1 >= 0) count -= edge[y * w + x - r - 1]
      rows[y * w + x] = count > 0 ? 1 : 0
    }
  }
  const out = new Uint8Array(w * h)
  for (let x = 0; x < w; x++) {
    let count = 0
    for (let y = 0; y < Math.min(r, h); y++) count += rows[y * w + x]
    for (let y = 0; y < h; y++) {
      if (y + r < h) count += rows[(y + r) * w + x]
      if (y - r - 1 >= 0) count -= rows[(y - r - 1) * w + x]
      out[y * w + x] = count > 0 && values[y * w + x] !== 0 ? 1 : 0
    }
  }
  return out
}
