import type { DemoRandom } from './demoRandom'

/** One term of the boundary's radius as a function of angle: amp·cos(k·θ + phase). Listed by ascending k. */
export interface Harmonic {
  k: number
  amp: number
  phase: number
}

/**
 * A star-shaped region: an ellipse (area π·radius², stretched by `aspect` along `angle`) whose radius
 * wobbles with the angle. Small harmonics give round lesions and cells, large ones irregular borders.
 */
export interface RadialShape {
  cx: number
  cy: number
  radius: number
  aspect: number
  angle: number
  harmonics: Harmonic[]
}

/** The boundary may not come closer to the centre than this fraction of the radius. */
const MIN_RADIUS_FACTOR = 0.25

/**
 * The shape's normalised radial coordinate as a function of the point: 0 at the centre, 1 on the boundary,
 * above 1 outside. Painters use it both as the mask test and as a depth for shading towards the border.
 * Everything that does not depend on the point is computed once here, outside the painters' pixel loops.
 */
export function shapeDistance(s: RadialShape): (x: number, y: number) => number {
  const c = Math.cos(s.angle)
  const sn = Math.sin(s.angle)
  const stretch = Math.sqrt(s.aspect)
  const ks = s.harmonics.map((h) => h.k)
  const ac = s.harmonics.map((h) => h.amp * Math.cos(h.phase))
  const as = s.harmonics.map((h) => h.amp * Math.sin(h.phase))
  for (let j = 1; j < ks.length; j++) {
    if (ks[j] <= ks[j - 1]) throw new Error('RadialShape harmonics must be listed by ascending k')
  }
  const reach = s.radius * (1 + s.harmonics.reduce((a, h) => a + Math.abs(h.amp), 0))
  return (x, y) => {
    const dx = x - s.cx
    const dy = y - s.cy
    const u = (dx * c + dy * sn) / stretch
    const v = (-dx * sn + dy * c) * stretch
    const rho = Math.sqrt(u * u + v * v)
    if (rho === 0) return 0
    // Surely outside: skip the harmonics (the value only has to stay above 1).
    if (rho > reach) return rho / (s.radius * MIN_RADIUS_FACTOR)
    // cos(kθ) and sin(kθ) by repeated rotation: no atan2 and no trigonometry per pixel.
    const c1 = u / rho
    const s1 = v / rho
    let ck = 1
    let sk = 0
    let k = 0
    let r = 1
    for (let j = 0; j < ks.length; j++) {
      while (k < ks[j]) {
        const t = ck * c1 - sk * s1
        sk = sk * c1 + ck * s1
        ck = t
        k++
      }
      r += ck * ac[j] - sk * as[j]
    }
    return rho / (s.radius * Math.max(r, MIN_RADIUS_FACTOR))
  }
}

/** `shapeDistance` at one point. */
export function radialDistance(s: RadialShape, x: number, y: number): number {
  return shapeDistance(s)(x, y)
}

/** Pixel box that surely holds the shape (clipped to the image). */
export function shapeBounds(
  s: RadialShape,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } {
  const wobble = 1 + s.harmonics.reduce((a, h) => a + Math.abs(h.amp), 0)
  const reach = s.radius * Math.sqrt(Math.max(s.aspect, 1 / s.aspect)) * wobble + 1
  return {
    x0: Math.max(0, Math.floor(s.cx - reach)),
    y0: Math.max(0, Math.floor(s.cy - reach)),
    x1: Math.min(width, Math.ceil(s.cx + reach)),
    y1: Math.min(height, Math.ceil(s.cy + reach)),
  }
}

/** Sets `value` in `mask` (row-major, `width` wide) at pixels whose centre lies inside; returns how many. */
export function rasteriseShape(
  s: RadialShape,
  width: number,
  height: number,
  mask: Uint8Array,
  value = 255,
): number {
  const b = shapeBounds(s, width, height)
  const distance = shapeDistance(s)
  let n = 0
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      if (distance(x + 0.5, y + 0.5) <= 1) {
        mask[y * width + x] = value
        n++
      }
    }
  }
  return n
}

function harmonics(rng: DemoRandom, kMin: number, kMax: number, ampAt: (k: number) => number): Harmonic[] {
  const out: Harmonic[] = []
  for (let k = kMin; k <= kMax; k++)
    out.push({ k, amp: ampAt(k) * rng.uniform(0.5, 1), phase: rng.uniform(0, 2 * Math.PI) })
  return out
}

/** Nearly circular, smooth border (benign nevus, a cell nucleus). */
export function roundShape(rng: DemoRandom, cx: number, cy: number, radius: number): RadialShape {
  return {
    cx,
    cy,
    radius,
    aspect: rng.uniform(1, 1.2),
    angle: rng.uniform(0, Math.PI),
    harmonics: harmonics(rng, 2, 4, () => 0.025),
  }
}

/** Notched, asymmetric border with lobes (melanoma, necrotic patch). */
export function irregularShape(rng: DemoRandom, cx: number, cy: number, radius: number): RadialShape {
  return {
    cx,
    cy,
    radius,
    aspect: rng.uniform(1, 1.5),
    angle: rng.uniform(0, Math.PI),
    // k = 1 makes it lopsided, k = 2..5 lobes, the higher ones a notched border.
    harmonics: harmonics(rng, 1, 10, (k) => (k <= 5 ? 0.2 / Math.sqrt(k) : 0.025)),
  }
}

/** Oval, smooth, clearly longer than wide (seborrhoeic keratosis, a vessel in section). */
export function elongatedShape(
  rng: DemoRandom,
  cx: number,
  cy: number,
  radius: number,
  aspect?: number,
): RadialShape {
  return {
    cx,
    cy,
    radius,
    aspect: aspect ?? rng.uniform(2.2, 3),
    angle: rng.uniform(0, Math.PI),
    harmonics: harmonics(rng, 2, 3, () => 0.03),
  }
}
