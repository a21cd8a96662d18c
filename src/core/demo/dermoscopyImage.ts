import type { DemoImage } from './demoImage'
import type { DemoRandom } from './demoRandom'
import { elongatedShape, irregularShape, roundShape, type RadialShape } from './lesionShape'
import { paintShape } from './paintShape'
import { createRgbImage, hexRgb, mixRgb, rgbBytes, type Rgb, type RgbImage } from './rgbImage'
import { paintSkin } from './skinTexture'
import { ValueNoise } from './valueNoise'

/** Class indices of the multi-class variant (see DEMO_CLASSES). */
const NEVUS = 0
const MELANOMA = 1
const KERATOSIS = 2

const NEVUS_BROWN = hexRgb('#8a5a3e')
const NEVUS_CORE = hexRgb('#6b4230')
const MEL_BROWN = hexRgb('#4a2c1f')
const MEL_BLACK = hexRgb('#211515')
const MEL_VEIL = hexRgb('#5b6a84')
const MEL_RED = hexRgb('#8e4545')
const SK_TAN = hexRgb('#b68a58')
const SK_FISSURE = hexRgb('#86603c')
const MILIA = hexRgb('#f2ead8')
const HAIR = hexRgb('#2a1c14')

function lesionShape(rng: DemoRandom, cls: number, width: number, height: number): RadialShape {
  const side = Math.min(width, height)
  const cx = width * rng.uniform(0.4, 0.6)
  const cy = height * rng.uniform(0.4, 0.6)
  if (cls === NEVUS) return roundShape(rng, cx, cy, side * rng.uniform(0.17, 0.25))
  if (cls === MELANOMA) return irregularShape(rng, cx, cy, side * rng.uniform(0.2, 0.27))
  return elongatedShape(rng, cx, cy, side * rng.uniform(0.15, 0.2))
}

function paintLesion(img: RgbImage, mask: Uint8Array, rng: DemoRandom, cls: number): void {
  const n = new ValueNoise(rng)
  const shape = lesionShape(rng, cls, img.width, img.height)
  let colourAt: (x: number, y: number, t: number) => Rgb
  let soft: number
  if (cls === NEVUS) {
    // Even brown, a little darker in the middle, with a faint pigment network.
    soft = 0.18
    colourAt = (x, y, t) => {
      const net = 1 - Math.abs(2 * n.at(x / 5, y / 5) - 1)
      return mixRgb(mixRgb(NEVUS_BROWN, NEVUS_CORE, (1 - t) * 0.7), NEVUS_CORE, net > 0.8 ? 0.5 : 0)
    }
  } else if (cls === MELANOMA) {
    // Several colours in blotches: dark brown, black, a blue-grey veil and red areas.
    soft = 0.1
    colourAt = (x, y) => {
      let c = mixRgb(MEL_BROWN, MEL_BLACK, n.fractal(x / 22, y / 22, 2))
      c = mixRgb(c, MEL_VEIL, Math.max(0, n.fractal(x / 35 + 70, y / 35 + 70, 2) - 0.55) * 2.2)
      return mixRgb(c, MEL_RED, Math.max(0, n.fractal(x / 30 + 140, y / 30 + 140, 2) - 0.6) * 2)
    }
  } else {
    // Waxy light tan with brain-like fissures; sharply demarcated, "stuck on".
    soft = 0.05
    colourAt = (x, y) => {
      const ridge = 1 - Math.abs(2 * n.fractal(x / 9, y / 9, 2) - 1)
      return mixRgb(SK_TAN, SK_FISSURE, Math.max(0, ridge - 0.7) * 2.5)
    }
  }
  paintShape(img, shape, soft, colourAt, 1, mask)
  if (cls === KERATOSIS) {
    // Milia-like cysts: small pale dots inside the lesion.
    for (let m = rng.int(3, 8); m > 0; m--) {
      const [x, y] = rng.inDisc(shape.cx, shape.cy, shape.radius * 0.6)
      paintShape(img, roundShape(rng, x, y, rng.uniform(1.8, 3.5)), 0.5, () => MILIA, 0.85)
    }
  }
}

/** Dark hairs across the field, the commonest dermoscopy artefact; they cross the lesion too. */
function paintHairs(img: RgbImage, rng: DemoRandom): void {
  const { width, height } = img
  for (let h = rng.int(1, 5); h > 0; h--) {
    const p0 = [rng.uniform(-0.1, 1.1) * width, rng.uniform(-0.1, 1.1) * height]
    const p2 = [rng.uniform(-0.1, 1.1) * width, rng.uniform(-0.1, 1.1) * height]
    const p1 = [rng.uniform(0, width), rng.uniform(0, height)]
    const thick = rng.uniform(0.7, 1.2)
    const steps = Math.ceil(Math.hypot(p2[0] - p0[0], p2[1] - p0[1]) * 2)
    for (let s = 0; s <= steps; s++) {
      const t = s / steps
      const x = (1 - t) * (1 - t) * p0[0] + 2 * t * (1 - t) * p1[0] + t * t * p2[0]
      const y = (1 - t) * (1 - t) * p0[1] + 2 * t * (1 - t) * p1[1] + t * t * p2[1]
      const shape = { cx: x, cy: y, radius: thick, aspect: 1, angle: 0, harmonics: [] }
      paintShape(img, shape, 0.5, () => HAIR, 0.5)
    }
  }
}

/** An ISIC-like dermoscopy image of one lesion of class `cls`; the mask is the lesion. */
export function dermoscopyImage(rng: DemoRandom, cls: number, width: number, height: number): DemoImage {
  const img = createRgbImage(width, height)
  const mask = new Uint8Array(width * height)
  paintSkin(img, rng)
  paintLesion(img, mask, rng, cls)
  if (rng.chance(0.4)) paintHairs(img, rng)
  return { width, height, rgb: rgbBytes(img), mask, labels: [cls] }
}
