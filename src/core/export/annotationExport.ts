import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { allImageLabels } from '../store/labels'
import type { Project } from '../store/project'
import { loadMaskBlob } from '../data/maskRaster'
import { encodeRle, type CocoRle } from './cocoRle'

export const MASK_FOLDER = 'masks'
export const COCO_FILE = 'annotations.coco.json'
export const LABELS_FILE = 'labels.csv'

export interface ExportOptions {
  /** PNG values: class indices (0, 1, 2 …), or 0/255 for a one-class mask. */
  maskValues: 'index' | 'binary'
}

export interface ExportSummary {
  dir: string
  masks: number
  annotations: number
  labelledImages: number
  files: string[]
}

/** The file name a mask of an image is written under: its name with .png, folders joined by _ into one flat folder. */
export function maskFileName(imageName: string): string {
  return `${imageName.replace(/\.[^./\\]+$/, '').replace(/[/\\]+/g, '_')}.png`
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * Writes every current mask as a PNG, all masks as one COCO JSON (one RLE annotation per image and class
 * present), and the image labels as CSV (one 0/1 column per class; an unlabelled image has empty cells).
 */
export async function exportAnnotations(
  project: Project,
  dir: string,
  opts: ExportOptions,
): Promise<ExportSummary> {
  const images = listImages(project)
  const classes = listClasses(project)
  const maxClass = Math.max(1, classes.length)
  const names = new Set<string>()
  for (const img of images) {
    const f = maskFileName(img.name)
    if (names.has(f)) throw new Error(`Two images would export to the same mask file ${f}: rename one first`)
    names.add(f)
  }
  fs.mkdirSync(path.join(dir, MASK_FOLDER), { recursive: true })
  const files: string[] = []
  const categories =
    classes.length > 0
      ? classes.map((c, i) => ({ id: i + 1, name: c.name, supercategory: 'class' }))
      : [{ id: 1, name: 'foreground', supercategory: 'class' }]
  const coco = {
    info: { description: `S4MI Studio export`, version: '1', date_created: new Date().toISOString() },
    images: [] as { id: number; file_name: string; width: number; height: number }[],
    categories,
    annotations: [] as {
      id: number
      image_id: number
      category_id: number
      segmentation: CocoRle
      area: number
      bbox: number[]
      iscrowd: 1
    }[],
  }
  let masks = 0
  for (const img of images) {
    coco.images.push({ id: img.id, file_name: img.name, width: img.width, height: img.height })
    if (!img.maskBlob) continue
    const mask = await loadMaskBlob(project, img.maskBlob)
    if (opts.maskValues === 'binary' && maxClass > 1 && mask.data.some((v) => v > 1))
      throw new Error(
        `Image ${img.name} has more than one mask class: export it with class indices, not 0/255`,
      )
    const values = opts.maskValues === 'binary' ? mask.data.map((v) => (v ? 255 : 0)) : mask.data
    const file = path.join(dir, MASK_FOLDER, maskFileName(img.name))
    await sharp(Buffer.from(values.buffer, values.byteOffset, values.length), {
      raw: { width: mask.width, height: mask.height, channels: 1 },
      limitInputPixels: false,
    })
      .png()
      .toFile(file)
    files.push(file)
    masks++
    for (let k = 1; k <= maxClass; k++) {
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
        image_id: img.id,
        category_id: k,
        segmentation: encodeRle(mask.width, mask.height, (i) => mask.data[i] === k),
        area,
        bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1],
        iscrowd: 1,
      })
    }
  }
  const cocoFile = path.join(dir, COCO_FILE)
  fs.writeFileSync(cocoFile, JSON.stringify(coco))
  files.push(cocoFile)

  const labels = allImageLabels(project)
  const lines = [['image', ...classes.map((c) => c.name)].map(csvField).join(',')]
  for (const img of images) {
    const l = labels.get(img.id)
    lines.push(
      [img.name, ...classes.map((c) => (l ? (l.includes(c.id) ? '1' : '0') : ''))].map(csvField).join(','),
    )
  }
  const csvFile = path.join(dir, LABELS_FILE)
  fs.writeFileSync(csvFile, lines.join('\n') + '\n')
  files.push(csvFile)
  return { dir, masks, annotations: coco.annotations.length, labelledImages: labels.size, files }
}
