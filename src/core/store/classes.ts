import type { ClassDef } from '../../shared/types'
import type { Project } from './project'

export function listClasses(project: Project): ClassDef[] {
  return project.db
    .prepare('SELECT id, name, color, mask_class_id AS maskClassId FROM classes ORDER BY ordinal, id')
    .all() as ClassDef[]
}

export function classByName(project: Project, name: string): ClassDef | undefined {
  return project.db
    .prepare('SELECT id, name, color, mask_class_id AS maskClassId FROM classes WHERE name = ?')
    .get(name) as ClassDef | undefined
}

/** Adds a class at the end of the list; returns its id. */
export function addClass(project: Project, name: string, color: string): number {
  if (!name.trim()) throw new Error('A class name is empty')
  if (classByName(project, name)) throw new Error(`Class "${name}" already exists`)
  const ordinal = (
    project.db.prepare('SELECT COALESCE(MAX(ordinal), -1) + 1 AS n FROM classes').get() as { n: number }
  ).n
  return Number(
    project.db
      .prepare('INSERT INTO classes (name, color, ordinal) VALUES (?, ?, ?)')
      .run(name, color, ordinal).lastInsertRowid,
  )
}
