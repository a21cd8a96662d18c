import type { RawImage } from './rawImage'

/**
 * The S4MI paper's pre-processing for 3-channel datasets (Dermofit, ISIC): "normalizes the red channel of
 * the RGB color model as proposed by Thanh et al. [2019]". Thanh et al. normalise the RGB model
 * chromatically, each channel divided by the pixel's intensity sum, r = R / (R + G + B), which removes
 * the lighting differences between dermoscopes. Only the red channel is replaced, scaled back to 8 bits:
 *   R' = round(255 · R / (R + G + B)),  R' = 0 where R + G + B = 0;  G and B (and alpha) unchanged.
 */
export function redChannelNormalization(img: RawImage): RawImage {
  if (img.channels < 3)
    throw new Error(`Red-channel normalisation needs RGB pixels, got ${img.channels} channel(s)`)
  const { data, channels: c } = img
  const out = new Uint8Array(data)
  for (let p = 0; p < data.length; p += c) {
    const sum = data[p] + data[p + 1] + data[p + 2]
    out[p] = sum === 0 ? 0 : Math.round((255 * data[p]) / sum)
  }
  return { ...img, data: out }
}
