import sharp from 'sharp'
import type { RawImage } from './rawImage'
import { rawPixels } from '../slide/rawPixels'

/**
 * The lesion datasets' import step (paper 3.3.1): the whole image, bilinearly interpolated to
 * `size` × `size` (aspect ratio not kept), as an RGB PNG. libvips' linear kernel widens on downsampling
 * (antialiased), like Pillow's BILINEAR that torchvision's Resize uses on PIL images.
 */
export async function resizeImageFile(file: string | Buffer, size: number): Promise<Buffer> {
  return sharp(file, { failOn: 'warning' })
    .removeAlpha()
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .png({ compressionLevel: 2 })
    .toBuffer()
}

/** Masks are resized by nearest neighbour: class indices must never be blended. */
export async function resizeMaskNearest(mask: RawImage, size: number): Promise<RawImage> {
  return rawPixels(
    await sharp(mask.data, {
      raw: { width: mask.width, height: mask.height, channels: mask.channels as 1 | 2 | 3 | 4 },
    })
      .resize(size, size, { fit: 'fill', kernel: 'nearest' })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true }),
  )
}
