import sharp from 'sharp'
import { holdsAnyClass } from '../store/maskManifest'
import { encodeMaskPngSync } from '../store/maskPngSync'
import type { Project } from '../store/project'
import { flatImageInput } from './flatImageLimit'
import { LruCache } from './lruCache'

/** A decoded mask: one class index per pixel, row-major. */
export interface MaskRaster {
  width: number
  height: number
  data: Uint8Array
}

export interface MaskPatchInput {
  x: number
  y: number
  width: number
  height: number
  data: Uint8Array
}

// Decoding a big mask PNG costs far more than a stroke: keep the last few decoded, keyed by content hash
// (blobs never change, so an entry can never be stale).
const decoded = new LruCache<MaskRaster>(4)

export async function decodeMaskPng(png: Buffer, label: string): Promise<MaskRaster> {
  try {
    const { data, info } = await sharp(png, flatImageInput)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true })
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    }
  } catch (e) {
    throw new Error(`${label} is not a readable mask image: ${(e as Error).message}`)
  }
}

/** The mask stored in a blob; shared and cached, so callers must not modify `data`. */
export async function loadMaskBlob(project: Project, blob: string): Promise<MaskRaster> {
  const hit = decoded.get(blob)
  if (hit) return hit
  const raster = await decodeMaskPng(project.blobs.get(blob), `Mask blob ${blob.slice(0, 12)}`)
  decoded.set(blob, raster)
  return raster
}

/** The PNG a mask is stored as (class indices as 8-bit grey; see encodeMaskPngSync). */
export async function encodeMaskPng(mask: MaskRaster): Promise<Buffer> {
  const png = encodeMaskPngSync(mask.width, mask.height, mask.data)
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

/** Stores a mask and remembers its decoded form, so the next patch on it needs no decode. */
export async function putMask(project: Project, mask: MaskRaster): Promise<string> {
  const blob = project.blobs.put(await encodeMaskPng(mask))
  decoded.set(blob, mask)
  return blob
}

/** Throws, naming the patch, when one reaches outside the image, has the wrong length or an unknown class. */
export function checkMaskPatches(
  size: { width: number; height: number },
  patches: readonly MaskPatchInput[],
  maxClass: number,
): void {
  patches.forEach((p, i) => {
    const where = `patch ${i} (${p.x},${p.y} ${p.width}×${p.height})`
    if (p.x < 0 || p.y < 0 || p.x + p.width > size.width || p.y + p.height > size.height)
      throw new Error(`Mask ${where} reaches outside the ${size.width}×${size.height} image`)
    if (p.data.length !== p.width * p.height)
      throw new Error(`Mask ${where} has ${p.data.length} values, expected ${p.width * p.height}`)
    for (let k = 0; k < p.data.length; k++)
      if (p.data[k] > maxClass)
        throw new Error(
          maxClass === 0
            ? `Mask ${where} holds class index ${p.data[k]}, but this project has no mask classes yet: add one first`
            : `Mask ${where} holds class index ${p.data[k]}; the largest mask class is ${maxClass}`,
        )
  })
}

/** A copy of `base` (or an empty mask) with the patches written over it, checked against the image and classes. */
export function applyMaskPatches(
  base: MaskRaster | null,
  size: { width: number; height: number },
  patches: readonly MaskPatchInput[],
  maxClass: number,
): MaskRaster {
  checkMaskPatches(size, patches, maxClass)
  const data = base ? new Uint8Array(base.data) : new Uint8Array(size.width * size.height)
  patches.forEach((p) => {
    for (let y = 0; y < p.height; y++)
      data.set(p.data.subarray(y * p.width, (y + 1) * p.width), (p.y + y) * size.width + p.x)
  })
  return { width: size.width, height: size.height, data }
}

/** One rectangle of a mask, row-major; null when it is all background (the common case, sent as nothing). */
export function maskRegion(
  mask: MaskRaster,
  x: number,
  y: number,
  width: number,
  height: number,
): Uint8Array | null {
  const out = new Uint8Array(width * height)
  for (let r = 0; r < height; r++)
    out.set(mask.data.subarray((y + r) * mask.width + x, (y + r) * mask.width + x + width), r * width)
  return holdsAnyClass(out) ? out : null
}
