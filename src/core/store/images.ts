import type { ImageSummary, Subset } from '../../shared/types'
import type { Project } from './project'

export interface NewImage {
  blob: string
  name: string
  width: number
  height: number
  channels: number
  format: string
  sourcePath?: string | null
  officialSplit?: Subset | null
}

export interface NewTile {
  imageId: number
  tileSize: number
  x: number
  y: number
  width: number
  height: number
  blob: string
  maskBlob?: string | null
}

export function insertImage(project: Project, img: NewImage): number {
  const r = project.db
    .prepare(
      `INSERT INTO images (blob, name, width, height, channels, format, source_path, official_split)
       VALUES (@blob, @name, @width, @height, @channels, @format, @sourcePath, @officialSplit)`,
    )
    .run({ sourcePath: null, officialSplit: null, ...img })
  return Number(r.lastInsertRowid)
}

export function imageIdByBlob(project: Project, blob: string): number | undefined {
  const row = project.db.prepare('SELECT id FROM images WHERE blob = ?').get(blob) as
    { id: number } | undefined
  return row?.id
}

export function insertTile(project: Project, t: NewTile): number {
  const r = project.db
    .prepare(
      `INSERT INTO tiles (image_id, tile_size, x, y, width, height, blob, mask_blob)
       VALUES (@imageId, @tileSize, @x, @y, @width, @height, @blob, @maskBlob)`,
    )
    .run({ maskBlob: null, ...t })
  return Number(r.lastInsertRowid)
}

export interface TileRow extends Required<NewTile> {
  id: number
}

export function listTiles(project: Project, imageId?: number): TileRow[] {
  const sql = `SELECT id, image_id AS imageId, tile_size AS tileSize, x, y, width, height, blob, mask_blob AS maskBlob
               FROM tiles ${imageId === undefined ? '' : 'WHERE image_id = ?'} ORDER BY image_id, y, x`
  const stmt = project.db.prepare(sql)
  return (imageId === undefined ? stmt.all() : stmt.all(imageId)) as TileRow[]
}

/** An image summary as SQLite returns it: labels as a comma list, flags as 0/1. */
interface ImageRow extends Omit<
  ImageSummary,
  'labels' | 'labelled' | 'hasMask' | 'maskReviewed' | 'inTrainingSet'
> {
  labelCsv: string | null
  labelled: number
  maskReviewed: number | null
  inTrainingSet: number
}

/** Every image with its annotation state, as the grid shows it. One query, not one per image. */
export function listImages(project: Project, ids?: number[]): ImageSummary[] {
  const rows = project.db
    .prepare(
      `SELECT i.id, i.name, i.blob, i.width, i.height, i.channels, i.format, i.official_split AS officialSplit,
              (SELECT group_concat(class_id) FROM image_labels l WHERE l.image_id = i.id) AS labelCsv,
              EXISTS (SELECT 1 FROM labelled_images li WHERE li.image_id = i.id) AS labelled,
              (SELECT r.blob FROM masks m JOIN mask_revisions r ON r.id = m.head_revision_id WHERE m.image_id = i.id) AS maskBlob,
              (SELECT r.reviewed FROM masks m JOIN mask_revisions r ON r.id = m.head_revision_id WHERE m.image_id = i.id) AS maskReviewed,
              (SELECT COUNT(*) FROM tiles t WHERE t.image_id = i.id) AS tileCount,
              (SELECT sa.subset FROM split_assignments sa
                 WHERE sa.image_id = i.id AND sa.split_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'activeSplitId')) AS subset,
              EXISTS (SELECT 1 FROM label_fraction_members lm JOIN label_fractions lf ON lf.id = lm.label_fraction_id
                 WHERE lm.image_id = i.id AND lf.active = 1) AS inTrainingSet
       FROM images i ORDER BY i.id`,
    )
    .all() as ImageRow[]
  const wanted = ids ? new Set(ids) : null
  return rows
    .filter((r) => !wanted || wanted.has(r.id))
    .map((r) => ({
      id: r.id,
      name: r.name,
      blob: r.blob,
      width: r.width,
      height: r.height,
      channels: r.channels,
      format: r.format,
      officialSplit: r.officialSplit,
      labels: r.labelCsv
        ? r.labelCsv
            .split(',')
            .map(Number)
            .sort((a, b) => a - b)
        : [],
      labelled: r.labelled === 1,
      hasMask: r.maskBlob !== null,
      maskReviewed: r.maskReviewed === 1,
      maskBlob: r.maskBlob,
      tileCount: r.tileCount,
      subset: r.subset,
      inTrainingSet: r.inTrainingSet === 1,
    }))
}

export function getImage(project: Project, id: number): ImageSummary {
  const [img] = listImages(project, [id])
  if (!img) throw new Error(`No image with id ${id} in this project`)
  return img
}

/** How many images the project holds. */
export function countImages(project: Project): number {
  return (project.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n
}
