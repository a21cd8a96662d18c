import { HISTOLOGY_MASK } from './demoClasses'
import type { DemoImage } from './demoImage'
import type { DemoRandom } from './demoRandom'
import { elongatedShape, irregularShape, radialDistance, roundShape, type RadialShape } from './lesionShape'
import { paintShape } from './paintShape'
import { createRgbImage, hexRgb, mixRgb, rgbBytes, type RgbImage } from './rgbImage'
import { paintStroma } from './stromaTexture'
import { ValueNoise } from './valueNoise'

/** Image-label indices of the multi-label variant (see DEMO_CLASSES). */
const INFLAMMATION = 0
const VESSEL = 1
const NECROSIS = 2

const NUCLEUS = hexRgb('#3b2a7a')
const NUCLEUS_DARK = hexRgb('#24184f')
const CYTOPLASM = hexRgb('#f1d3e6')
const NECROTIC = hexRgb('#ee9ea4')
const DEBRIS = hexRgb('#4a2c66')
const VESSEL_WALL = hexRgb('#b8364f')
const LUMEN = hexRgb('#f8f0f2')
const ERYTHROCYTE = hexRgb('#dc3a32')

/** The reference field: a Dermatomyositis sample is 469 × 352; counts scale with area from it. */
const REFERENCE_AREA = 469 * 352

function paintCell(img: RgbImage, mask: Uint8Array, n: ValueNoise, shape: RadialShape): void {
  // A thin rim of pale cytoplasm around the nucleus, outside the mask as annotators draw nuclei.
  paintShape(img, { ...shape, radius: shape.radius * 1.3 }, 0.4, () => CYTOPLASM, 0.55)
  // Hyperchromatic nucleus: darker rim, granular chromatin inside.
  paintShape(
    img,
    shape,
    0.25,
    (x, y, t) =>
      mixRgb(NUCLEUS, NUCLEUS_DARK, Math.min(1, t * t * 0.8 + (n.at(x / 1.6, y / 1.6) - 0.5) * 0.9)),
    0.93,
    mask,
    HISTOLOGY_MASK.cell,
  )
}

/** Coagulative necrosis: a glassy, homogeneous, more orange-pink area without fibres, with nuclear dust. */
function paintNecrosis(
  img: RgbImage,
  mask: Uint8Array,
  rng: DemoRandom,
  cx: number,
  cy: number,
  radius: number,
): void {
  const patch = irregularShape(rng, cx, cy, radius)
  paintShape(img, patch, 0.35, () => NECROTIC, 0.92, mask, HISTOLOGY_MASK.necrosis)
  // Karyorrhexis: nuclear dust scattered through the dead tissue.
  const fragments = Math.round((Math.PI * radius * radius) / 55)
  for (let f = 0; f < fragments; f++) {
    const [x, y] = rng.inDisc(cx, cy, radius * 1.1)
    if (radialDistance(patch, x, y) > 0.95) continue
    paintShape(img, roundShape(rng, x, y, rng.uniform(0.8, 1.9)), 0.5, () => DEBRIS, rng.uniform(0.6, 0.95))
  }
}

function paintVessel(
  img: RgbImage,
  mask: Uint8Array,
  rng: DemoRandom,
  cx: number,
  cy: number,
  radius: number,
): void {
  const lumen = elongatedShape(rng, cx, cy, radius, rng.uniform(1.8, 3.2))
  const wall: RadialShape = { ...lumen, radius: radius + rng.uniform(7, 11) }
  // The vessel is its wall with the lumen and the red cells inside it.
  paintShape(img, wall, 0.15, () => VESSEL_WALL, 0.9, mask, HISTOLOGY_MASK.vessel)
  paintShape(img, lumen, 0.08, () => LUMEN, 1)
  // Red blood cells packed in the lumen.
  const cells = Math.round(radius * rng.uniform(0.5, 0.9))
  for (let c = 0; c < cells; c++) {
    const [x, y] = rng.inDisc(cx, cy, lumen.radius * 0.9)
    if (radialDistance(lumen, x, y) > 0.8) continue
    paintShape(img, roundShape(rng, x, y, rng.uniform(2.4, 3.2)), 0.35, () => ERYTHROCYTE, 0.95)
  }
}

/** Places `count` cells around a centre with a Gaussian spread, keeping them from piling up. */
function cluster(
  rng: DemoRandom,
  centres: { x: number; y: number; r: number }[],
  cx: number,
  cy: number,
  spread: number,
  count: number,
  radius: [number, number],
): void {
  for (let c = 0; c < count; c++) {
    for (let attempt = 0; attempt < 12; attempt++) {
      const x = cx + rng.normal() * spread
      const y = cy + rng.normal() * spread
      const r = rng.uniform(radius[0], radius[1])
      if (centres.every((o) => Math.hypot(o.x - x, o.y - y) > 0.85 * (o.r + r))) {
        centres.push({ x, y, r })
        break
      }
    }
  }
}

/**
 * A Dermatomyositis-like H&E field. The mask marks what each pixel is: a cell's nucleus (every cell, not
 * only inflammatory ones), a vessel (wall, lumen and red cells) or necrosis (the pale patch); stroma is
 * background. The image's labels are the findings: inflammation (dense clusters of cells), vessels and
 * necrosis, each independent of the others; a field without a finding has none of its mask class, except
 * cells, which every field holds.
 */
export function histologyImage(rng: DemoRandom, labels: number[], width: number, height: number): DemoImage {
  const img = createRgbImage(width, height)
  const mask = new Uint8Array(width * height)
  const n = new ValueNoise(rng)
  const scale = (width * height) / REFERENCE_AREA
  const perField = (lo: number, hi: number): number => Math.max(1, Math.round(rng.int(lo, hi) * scale))
  const inside = (margin: number): [number, number] => [
    rng.uniform(margin, width - margin),
    rng.uniform(margin, height - margin),
  ]
  paintStroma(img, rng)
  if (labels.includes(NECROSIS)) {
    for (let k = perField(1, 1); k > 0; k--) paintNecrosis(img, mask, rng, ...inside(70), rng.uniform(55, 85))
  }
  if (labels.includes(VESSEL)) {
    for (let k = perField(1, 2); k > 0; k--) paintVessel(img, mask, rng, ...inside(60), rng.uniform(18, 28))
  }
  const centres: { x: number; y: number; r: number }[] = []
  // Scattered cells in every field, so every mask has some foreground.
  for (let k = perField(4, 8); k > 0; k--) cluster(rng, centres, ...inside(10), 0, 1, [13, 17])
  if (labels.includes(INFLAMMATION)) {
    for (let k = perField(1, 2); k > 0; k--) {
      cluster(rng, centres, ...inside(60), rng.uniform(34, 48), rng.int(16, 28), [10, 13])
    }
  }
  for (const c of centres) paintCell(img, mask, n, roundShape(rng, c.x, c.y, c.r))
  return { width, height, rgb: rgbBytes(img), mask, labels: [...labels].sort((a, b) => a - b) }
}
