import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { atomicWriteFile } from '../store/atomicWrite'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { listMaskClasses } from '../store/maskClasses'
import { allImageLabels } from '../store/labels'
import type { Project } from '../store/project'
import { loadComposedMask } from '../data/tiledMask'
import { addMaskAnnotations, cocoMasks } from './cocoMaskAnnotations'
import { writeExportFolder } from './exportFolder'

export const MASK_FOLDER = 'masks'
export const COCO_FILE = 'annotations.coco.json'
export const LABELS_FILE = 'labels.csv'

export interface ExportOptions {
  /** PNG values: mask class values (0, 1, 2 …), or 0/255 for a one-class mask. */
  maskValues: 'index' | 'binary'
  /** Write into a folder that already holds files, replacing ours there. Without it such a folder is refused. */
  overwrite?: boolean
}

export interface ExportSummary {
  dir: string
  masks: number
  annotations: number
  labelledImages: number
  files: string[]
}

/** An image's name as a flat file stem: without its extension, folders joined by _ (one flat folder). */
export function annotationFileStem(imageName: string): string {
  return imageName.replace(/\.[^./\\]+$/, '').replace(/[/\\]+/g, '_')
}

/** The file name a mask of an image is written under. */
export function maskFileName(imageName: string): string {
  return `${annotationFileStem(imageName)}.png`
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * Writes every current mask as a PNG, all masks as one COCO JSON (the mask classes are its categories, id =
 * pixel value; one RLE annotation per image and mask class present), and the image labels as CSV (one 0/1
 * column per image label; an unlabelled image has empty cells). Image labels are never COCO categories:
 * a diagnosis is not what a pixel is.
 * The folder is written as exportFolder.ts says (new or empty, or replaced with `overwrite`).
 */
export async function exportAnnotations(
  project: Project,
  dir: string,
  opts: ExportOptions,
): Promise<ExportSummary> {
  return writeExportFolder(dir, opts.overwrite, (into) => writeExport(project, into, dir, opts))
}

/** Writes the export's files into `into`; the summary names them as they will be in `dir`. */
async function writeExport(
  project: Project,
  into: string,
  dir: string,
  opts: ExportOptions,
): Promise<ExportSummary> {
  const images = listImages(project)
  const classes = listClasses(project)
  const maskClasses = listMaskClasses(project)
  const names = new Set<string>()
  for (const img of images) {
    const f = maskFileName(img.name)
    if (names.has(f)) throw new Error(`Two images would export to the same mask file ${f}: rename one first`)
    names.add(f)
  }
  fs.mkdirSync(path.join(into, MASK_FOLDER), { recursive: true })
  const files: string[] = []
  const coco = cocoMasks('S4MI Studio export', maskClasses)
  let masks = 0
  for (const img of images) {
    coco.images.push({ id: img.id, file_name: img.name, width: img.width, height: img.height })
    if (!img.maskBlob) continue
    const mask = await loadComposedMask(project, img.maskBlob)
    if (opts.maskValues === 'binary' && mask.data.some((v) => v > 1))
      throw new Error(
        `Image ${img.name} has more than one mask class: export it with class indices, not 0/255`,
      )
    const values = opts.maskValues === 'binary' ? mask.data.map((v) => (v ? 255 : 0)) : mask.data
    const png = await sharp(Buffer.from(values.buffer, values.byteOffset, values.length), {
      raw: { width: mask.width, height: mask.height, channels: 1 },
      limitInputPixels: false,
    })
      .png()
      .toBuffer()
    atomicWriteFile(path.join(into, MASK_FOLDER, maskFileName(img.name)), png)
    files.push(path.join(dir, MASK_FOLDER, maskFileName(img.name)))
    masks++
    addMaskAnnotations(coco, img.id, mask)
  }
  atomicWriteFile(path.join(into, COCO_FILE), JSON.stringify(coco))
  files.push(path.join(dir, COCO_FILE))

  const labels = allImageLabels(project)
  const lines = [['image', ...classes.map((c) => c.name)].map(csvField).join(',')]
  for (const img of images) {
    const l = labels.get(img.id)
    lines.push(
      [img.name, ...classes.map((c) => (l ? (l.includes(c.id) ? '1' : '0') : ''))].map(csvField).join(','),
    )
  }
  atomicWriteFile(path.join(into, LABELS_FILE), lines.join('\n') + '\n')
  files.push(path.join(dir, LABELS_FILE))
  return { dir, masks, annotations: coco.annotations.length, labelledImages: labels.size, files }
}
