import path from 'node:path'
import sharp from 'sharp'
import { flatImageInput } from '../data/flatImageLimit'
import { insideFolder } from '../data/insideFolder'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'
import { maskToClassIndices } from '../data/maskToClassIndices'
import { readCsvFile } from '../data/readCsv'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { listMaskClasses } from '../store/maskClasses'
import { setImageLabels } from '../store/labels'
import { commitMaskRevision } from '../store/masks'
import type { Project } from '../store/project'
import { readRegularFile, readRegularText } from '../store/regularFile'
import type { ImageSummary } from '../../shared/types'
import { COCO_FILE, LABELS_FILE, MASK_FOLDER, maskFileName } from './annotationExport'
import { decodeRle, type CocoRle } from './cocoRle'
import { decodeMaskPng, putMask, type MaskRaster } from '../data/maskRaster'

/** The largest mask PNG read back: a 50,000² mask of few classes compresses far below it. */
const MAX_MASK_PNG_BYTES = 512 * 1024 ** 2
/** The largest COCO file read back: RLE masks of 10,000 images at 4,000² fit in a fraction of it. */
const MAX_COCO_BYTES = 256 * 1024 ** 2

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export interface ImportOptions {
  masks: 'png' | 'coco' | 'none'
  labels: boolean
}

export interface ImportSummary {
  masks: number
  labelledImages: number
}

/**
 * Reads an export back (ours, or one in the same layout): masks from the PNG folder or the COCO JSON, labels
 * from the CSV. Images are matched by name. Each mask becomes a new revision (kind 'import'), so the previous
 * mask stays one undo away. Everything is checked before anything is written.
 */
export async function importAnnotations(
  project: Project,
  dir: string,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const images = listImages(project)
  const byName = new Map(images.map((i) => [i.name, i]))
  const classes = listClasses(project)
  const maskClasses = listMaskClasses(project)
  const maxClass = maskClasses.at(-1)?.value ?? 0
  const masks: { image: ImageSummary; mask: MaskRaster }[] = []

  if (opts.masks === 'png') {
    const folder = insideFolder(dir, MASK_FOLDER)
    if ('problem' in folder)
      throw new Error(`${path.join(dir, MASK_FOLDER)}: ${folder.problem}: nothing to import masks from`)
    const byFile = new Map(images.map((i) => [maskFileName(i.name), i]))
    for (const entry of listFolder(folder.file)) {
      const file = path.join(folder.file, entry.name)
      if (entry.badName) throw new Error(`${file}: ${NOT_UTF8_NAME}`)
      if (!entry.name.toLowerCase().endsWith('.png')) continue
      if (entry.kind === 'symlink')
        throw new Error(`${file}: is a symbolic link (refused: it may lead outside the import folder)`)
      const image = byFile.get(entry.name)
      if (!image) throw new Error(`${file}: no image in this project is named like it`)
      const png = readRegularFile(file, MAX_MASK_PNG_BYTES, 'mask PNG')
      // The header first: a mask of the wrong size is refused before its pixels are decoded.
      const size = await sharp(png, flatImageInput)
        .metadata()
        .catch((e: Error) => {
          throw new Error(`${file} is not a readable mask image: ${e.message}`)
        })
      if (size.width !== image.width || size.height !== image.height)
        throw new Error(
          `${file} is ${size.width}×${size.height} but image ${image.name} is ${image.width}×${image.height}`,
        )
      const raw = await decodeMaskPng(png, file)
      const r = maskToClassIndices({ ...raw, channels: 1 }, maxClass)
      if ('problem' in r) throw new Error(`${file}: ${r.problem}`)
      masks.push({ image, mask: { width: raw.width, height: raw.height, data: r.mask.data } })
    }
  } else if (opts.masks === 'coco') {
    const file = path.join(dir, COCO_FILE)
    const inside = insideFolder(dir, COCO_FILE)
    if ('problem' in inside) throw new Error(`${file}: ${inside.problem}`)
    let coco: {
      images?: { id: number; file_name: string }[]
      categories?: { id: number; name: string }[]
      annotations?: { image_id: number; category_id: number; segmentation: CocoRle }[]
    }
    try {
      coco = JSON.parse(readRegularText(inside.file, MAX_COCO_BYTES, 'COCO JSON file'))
    } catch (e) {
      throw new Error(`${file} is not readable COCO JSON: ${(e as Error).message}`)
    }
    if (!isObject(coco) || !Array.isArray(coco.images) || !Array.isArray(coco.annotations))
      throw new Error(`${file} needs "images" and "annotations" arrays`)
    const notObject = (xs: unknown[]) => xs.findIndex((x) => !isObject(x))
    for (const field of ['images', 'annotations', 'categories'] as const) {
      const xs = coco[field]
      const n = Array.isArray(xs) ? notObject(xs) : -1
      if (n >= 0) throw new Error(`${file}: ${field}[${n}] is not an object`)
    }
    const cocoImage = new Map(coco.images.map((i) => [i.id, i.file_name]))
    // Categories are matched to mask classes by name when the file names them, so another tool's ids do
    // not have to be ours; without names, a category id is a mask class's pixel value.
    const valueOf = new Map<number, number>()
    for (const c of Array.isArray(coco.categories) ? coco.categories : []) {
      const m = maskClasses.find((k) => k.name === c.name)
      if (!m)
        throw new Error(
          `${file}: category "${c.name}" is not a mask class of this project (${maskClasses.map((k) => k.name).join(', ') || 'none yet'})`,
        )
      valueOf.set(c.id, m.value)
    }
    const built = new Map<number, { image: ImageSummary; mask: MaskRaster }>()
    coco.annotations.forEach((a, n) => {
      const where = `${file}: annotation ${n}`
      const name = cocoImage.get(a.image_id)
      const image = name === undefined ? undefined : byName.get(name)
      if (!image) throw new Error(`${where} refers to image ${a.image_id}, which is not in this project`)
      const value = valueOf.size > 0 ? valueOf.get(a.category_id) : a.category_id
      if (value === undefined || !maskClasses.some((k) => k.value === value))
        throw new Error(`${where} has category ${a.category_id}, which is not a mask class of this project`)
      const seg = a.segmentation
      if (!seg || !Array.isArray(seg.size) || seg.size[0] !== image.height || seg.size[1] !== image.width)
        throw new Error(`${where} is not an RLE of size [${image.height}, ${image.width}]`)
      let bits: Uint8Array
      try {
        bits = decodeRle(seg)
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`)
      }
      let entry = built.get(image.id)
      if (!entry) {
        entry = {
          image,
          mask: {
            width: image.width,
            height: image.height,
            data: new Uint8Array(image.width * image.height),
          },
        }
        built.set(image.id, entry)
      }
      for (let i = 0; i < bits.length; i++) if (bits[i]) entry.mask.data[i] = value
    })
    masks.push(...built.values())
  }

  const labelRows: { image: ImageSummary; classIds: number[] | null }[] = []
  if (opts.labels) {
    const file = path.join(dir, LABELS_FILE)
    const inside = insideFolder(dir, LABELS_FILE)
    if ('problem' in inside)
      throw new Error(
        inside.problem === 'file not found'
          ? `${file} does not exist: nothing to import labels from`
          : `${file}: ${inside.problem}`,
      )
    const [header, ...rows] = readCsvFile(inside.file)
    if (!header || header[0] !== 'image')
      throw new Error(`${file} must start with a header "image,<class>,…"`)
    const columns = header.slice(1).map((name) => {
      const c = classes.find((k) => k.name === name)
      if (!c) throw new Error(`${file}: column "${name}" is not a class of this project`)
      return c
    })
    rows.forEach((row, n) => {
      const image = byName.get(row[0])
      if (!image) throw new Error(`${file} line ${n + 2}: no image named "${row[0]}" in this project`)
      const cells = row.slice(1)
      if (cells.every((c) => c === '')) return labelRows.push({ image, classIds: null })
      const bad = cells.findIndex((c) => c !== '0' && c !== '1')
      if (bad >= 0)
        throw new Error(
          `${file} line ${n + 2}, column "${header[bad + 1]}": expected 0 or 1, got "${cells[bad]}"`,
        )
      labelRows.push({ image, classIds: columns.filter((_, i) => cells[i] === '1').map((c) => c.id) })
    })
  }

  for (const { image, mask } of masks)
    commitMaskRevision(project, image.id, await putMask(project, mask), 'import')
  project.db
    .transaction(() => {
      for (const { image, classIds } of labelRows) setImageLabels(project, image.id, classIds)
    })
    .immediate()
  return { masks: masks.length, labelledImages: labelRows.filter((r) => r.classIds !== null).length }
}
