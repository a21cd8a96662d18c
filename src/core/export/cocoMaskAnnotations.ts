import type { MaskClassDef } from '../../shared/types'
import type { MaskRaster } from '../data/maskRaster'
import { encodeRle, type CocoRle } from './cocoRle'

/**
 * COCO for masks of class values (annotations and predictions alike): the project's mask classes are the
 * categories (id = pixel value), each image gets one RLE annotation per mask class it shows.
 */

export interface CocoAnnotation {
  id: number
  image_id: number
  category_id: number
  segmentation: CocoRle
  area: number
  bbox: number[]
  iscrowd: 1
}

export interface CocoMasks {
  info: { description: string; version: string; date_created: string }
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string; supercategory: string }[]
  annotations: CocoAnnotation[]
}

export function cocoMasks(description: string, maskClasses: MaskClassDef[]): CocoMasks {
  return {
    info: { description, version: '1', date_created: new Date().toISOString() },
    images: [],
    categories: maskClasses.map((m) => ({ id: m.value, name: m.name, supercategory: 'mask class' })),
    annotations: [],
  }
}

/** Adds one RLE annotation per mask class present in `mask` (the image itself is added by the caller). */
export function addMaskAnnotations(coco: CocoMasks, imageId: number, mask: MaskRaster): void {
  for (const { id: k } of coco.categories) {
    let area = 0
    let x0 = Infinity
    let y0 = Infinity
    let x1 = -1
    let y1 = -1
    for (let i = 0; i < mask.data.length; i++)
      if (mask.data[i] === k) {
        area++
        const x = i % mask.width
        const y = (i / mask.width) | 0
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    if (area === 0) continue
    coco.annotations.push({
      id: coco.annotations.length + 1,
      image_id: imageId,
      category_id: k,
      segmentation: encodeRle(mask.width, mask.height, (i) => mask.data[i] === k),
      area,
      bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1],
      iscrowd: 1,
    })
  }
}
