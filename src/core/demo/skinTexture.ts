import { CoarseField } from './coarseField'
import type { DemoRandom } from './demoRandom'
import { hexRgb, mixRgb, type RgbImage } from './rgbImage'
import { ValueNoise } from './valueNoise'

const FAIR = hexRgb('#f1cbbb')
const TAN = hexRgb('#d9a586')
const ERYTHEMA = hexRgb('#e49b98')

/** Skin under a dermoscope: an even tone with blotchy redness, fine skin lines and grain. */
export function paintSkin(img: RgbImage, rng: DemoRandom): void {
  const { width, height, data } = img
  const n = new ValueNoise(rng)
  const tone = mixRgb(FAIR, TAN, rng.next())
  const lowField = new CoarseField(width, height, 4, (x, y) => n.fractal(x / 130, y / 130, 3))
  const redField = new CoarseField(width, height, 4, (x, y) => n.fractal(x / 70 + 50, y / 70 + 50, 2))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const low = lowField.at(x, y)
      const red = redField.at(x, y)
      // Ridged noise (a fold where the noise crosses its middle) draws the skin's furrows.
      const ridge = 1 - Math.abs(2 * n.fractal(x / 13 + 90, y / 13 + 90, 2) - 1)
      const grain = n.at(x / 1.5 + 200, y / 1.5 + 200) - 0.5
      const redness = Math.max(0, red - 0.55) * 1.6
      const f = 1 + (low - 0.5) * 0.14 - Math.max(0, ridge - 0.9) * 0.4 + grain * 0.05
      const k = (y * width + x) * 3
      for (let ch = 0; ch < 3; ch++) data[k + ch] = (tone[ch] + (ERYTHEMA[ch] - tone[ch]) * redness) * f
    }
  }
}
