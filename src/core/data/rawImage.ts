/** Decoded pixels, interleaved (HWC), 8 bits per sample, as sharp's `.raw()` gives them. */
export interface RawImage {
  data: Uint8Array
  width: number
  height: number
  channels: number
}

export function rawImage(width: number, height: number, channels: number, fill = 0): RawImage {
  const data = new Uint8Array(width * height * channels)
  if (fill !== 0) data.fill(fill)
  return { data, width, height, channels }
}
