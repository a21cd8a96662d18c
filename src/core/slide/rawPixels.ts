import type { OutputInfo } from 'sharp'
import type { RegionPixels } from './slideReader'

/** What sharp's `.raw().toBuffer({ resolveWithObject: true })` gives, as pixels: a view on its buffer, no copy. */
export function rawPixels({ data, info }: { data: Buffer; info: OutputInfo }): RegionPixels {
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: info.channels,
  }
}
