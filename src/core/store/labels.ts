import type { LabelMode } from '../../shared/types'
import { getMeta, type Project } from './project'

export function labelMode(project: Project): LabelMode {
  const m = getMeta(project, 'labelMode')
  return m === 'multi-label' ? 'multi-label' : 'multi-class'
}

/**
 * Sets the image-level labels of one image. An image whose labels were set (even to none, in
 * multi-label mode: "none of these") counts as labelled; `null` clears it back to unlabelled.
 */
export function setImageLabels(project: Project, imageId: number, classIds: number[] | null): void {
  const { db } = project
  const mode = labelMode(project)
  if (classIds && mode === 'multi-class' && classIds.length > 1) {
    throw new Error(
      `This project is multi-class: image ${imageId} can have one class, got ${classIds.length}`,
    )
  }
  if (classIds && mode === 'multi-class' && classIds.length === 0) {
    throw new Error(
      `This project is multi-class: image ${imageId} needs exactly one class (or null to clear)`,
    )
  }
  db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId))
      throw new Error(`No image with id ${imageId}`)
    for (const c of classIds ?? []) {
      if (!db.prepare('SELECT 1 FROM classes WHERE id = ?').get(c)) throw new Error(`No class with id ${c}`)
    }
    db.prepare('DELETE FROM image_labels WHERE image_id = ?').run(imageId)
    if (classIds === null) {
      db.prepare('DELETE FROM labelled_images WHERE image_id = ?').run(imageId)
      return
    }
    const ins = db.prepare('INSERT INTO image_labels (image_id, class_id) VALUES (?, ?)')
    for (const c of new Set(classIds)) ins.run(imageId, c)
    db.prepare(
      `INSERT INTO labelled_images (image_id) VALUES (?)
       ON CONFLICT(image_id) DO UPDATE SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    ).run(imageId)
  }).immediate()
}

/** Labels of every labelled image: imageId → class ids. */
export function allImageLabels(project: Project): Map<number, number[]> {
  const out = new Map<number, number[]>()
  for (const { image_id } of project.db.prepare('SELECT image_id FROM labelled_images').all() as {
    image_id: number
  }[]) {
    out.set(image_id, [])
  }
  for (const r of project.db
    .prepare('SELECT image_id, class_id FROM image_labels ORDER BY class_id')
    .all() as {
    image_id: number
    class_id: number
  }[]) {
    const list = out.get(r.image_id) ?? []
    list.push(r.class_id)
    out.set(r.image_id, list)
  }
  return out
}
