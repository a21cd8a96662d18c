import { CoarseField } from './coarseField'
import type { DemoRandom } from './demoRandom'
import { roundShape } from './lesionShape'
import { paintShape } from './paintShape'
import { hexRgb, type RgbImage } from './rgbImage'
import { ValueNoise } from './valueNoise'

const STROMA = hexRgb('#eba9ca')
const EOSIN_DEEP = hexRgb('#d27aa6')
const LOOSE = hexRgb('#f6ecf2')
const SPECKLE = hexRgb('#8e6cb4')

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)))
  return t * t * (3 - 2 * t)
}

/**
 * H&E-stained connective tissue: pink stroma with wavy collagen fibres, pale loose areas, and small
 * lightly stained background nuclei. The nuclei are deliberately similar in hue to the cells that
 * the masks mark, but smaller and paler, so colour alone does not solve the segmentation.
 */
export function paintStroma(img: RgbImage, rng: DemoRandom): void {
  const { width, height, data } = img
  const n = new ValueNoise(rng)
  const angle = rng.uniform(0, Math.PI)
  const ca = Math.cos(angle)
  const sa = Math.sin(angle)
  const stain = rng.uniform(-0.05, 0.05)
  const densityField = new CoarseField(width, height, 4, (x, y) => n.fractal(x / 90, y / 90, 3))
  const warpField = new CoarseField(
    width,
    height,
    4,
    (x, y) => (n.fractal(x / 140 + 40, y / 140 + 40, 2) - 0.5) * 70,
  )
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const density = densityField.at(x, y)
      // Domain warp bends the fibres; streaks are long along `angle` and thin across it.
      const warp = warpField.at(x, y)
      const u = x * ca + y * sa
      const v = -x * sa + y * ca + warp
      const fibre = n.fractal(u / 28 + 120, v / 4 + 120, 2)
      const grain = n.at(x / 1.4 + 200, y / 1.4 + 200) - 0.5
      const deep = smoothstep(0.42, 0.78, fibre) * 0.55
      const loose = Math.min(1, smoothstep(0.38, 0.25, density) * 0.75 + smoothstep(0.45, 0.2, fibre) * 0.25)
      const f = 1 + grain * 0.07 + stain
      const k = (y * width + x) * 3
      for (let ch = 0; ch < 3; ch++) {
        const c = STROMA[ch] + (EOSIN_DEEP[ch] - STROMA[ch]) * deep
        data[k + ch] = (c + (LOOSE[ch] - c) * loose) * f
      }
    }
  }
  const speckles = Math.round((width * height) / 900)
  for (let s = 0; s < speckles; s++) {
    const shape = roundShape(rng, rng.uniform(0, width), rng.uniform(0, height), rng.uniform(1.8, 3.2))
    // Fibroblast nuclei are spindles lying along the fibres.
    shape.aspect = rng.uniform(1.5, 3.5)
    shape.angle = -angle
    paintShape(img, shape, 0.6, () => SPECKLE, rng.uniform(0.5, 0.8))
  }
}
