import type { MaskClassDef } from '../../shared/types'
import { maskClassColour } from '../../shared/maskPalette'
import type { Project } from './project'

const COLUMNS = 'id, value, name, color'

/** What a mask pixel can be, in value order (value k is the pixel value k; 0 is background). */
export function listMaskClasses(project: Project): MaskClassDef[] {
  return project.db.prepare(`SELECT ${COLUMNS} FROM mask_classes ORDER BY value`).all() as MaskClassDef[]
}

export function maskClassByName(project: Project, name: string): MaskClassDef | undefined {
  return project.db.prepare(`SELECT ${COLUMNS} FROM mask_classes WHERE name = ?`).get(name) as
    MaskClassDef | undefined
}

/** The largest pixel value a mask of this project may hold (0 when it has no mask classes yet). */
export function largestMaskValue(project: Project): number {
  return (project.db.prepare('SELECT COALESCE(MAX(value), 0) AS n FROM mask_classes').get() as { n: number })
    .n
}

/** Adds a mask class after the others (the next pixel value); its colour defaults to the palette's next. */
export function addMaskClass(project: Project, name: string, color?: string): MaskClassDef {
  const trimmed = name.trim()
  if (!trimmed) throw new Error('A mask class name is empty')
  if (maskClassByName(project, trimmed)) throw new Error(`Mask class "${trimmed}" already exists`)
  const value = largestMaskValue(project) + 1
  if (value > 255) throw new Error('A project holds at most 255 mask classes')
  const count = (project.db.prepare('SELECT COUNT(*) AS n FROM mask_classes').get() as { n: number }).n
  const id = Number(
    project.db
      .prepare('INSERT INTO mask_classes (value, name, color) VALUES (?, ?, ?)')
      .run(value, trimmed, color ?? maskClassColour(count)).lastInsertRowid,
  )
  return { id, value, name: trimmed, color: color ?? maskClassColour(count) }
}

export function setMaskClassColour(project: Project, id: number, color: string): void {
  if (project.db.prepare('UPDATE mask_classes SET color = ? WHERE id = ?').run(color, id).changes === 0)
    throw new Error(`No mask class with id ${id}`)
}

/** Which mask class an image label usually shows (e.g. every lesion diagnosis → `lesion`); null clears it. */
export function linkLabelToMaskClass(project: Project, classId: number, maskClassId: number | null): void {
  if (maskClassId !== null && !project.db.prepare('SELECT 1 FROM mask_classes WHERE id = ?').get(maskClassId))
    throw new Error(`No mask class with id ${maskClassId}`)
  if (
    project.db.prepare('UPDATE classes SET mask_class_id = ? WHERE id = ?').run(maskClassId, classId)
      .changes === 0
  )
    throw new Error(`No image label with id ${classId}`)
}
