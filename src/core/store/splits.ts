import type { LabelSource } from '../../shared/types'
import { createHash } from 'node:crypto'
import type { Subset } from '../../shared/types'
import { getMeta, setMeta, type Project } from './project'

export interface StoredSplit {
  id: number
  name: string
  kind: 'random' | 'official'
  seed: number | null
  /** imageId → subset */
  assignments: Map<number, Subset>
}

export function saveSplit(
  project: Project,
  split: { name: string; kind: 'random' | 'official'; seed: number | null; assignments: Map<number, Subset> },
  makeActive = true,
): number {
  const { db } = project
  return db
    .transaction(() => {
      db.prepare('DELETE FROM splits WHERE name = ?').run(split.name)
      const id = Number(
        db
          .prepare('INSERT INTO splits (name, kind, seed) VALUES (?, ?, ?)')
          .run(split.name, split.kind, split.seed).lastInsertRowid,
      )
      const ins = db.prepare('INSERT INTO split_assignments (split_id, image_id, subset) VALUES (?, ?, ?)')
      for (const [imageId, subset] of split.assignments) ins.run(id, imageId, subset)
      if (makeActive) setMeta(project, 'activeSplitId', String(id))
      return id
    })
    .immediate()
}

export function loadSplit(project: Project, id: number): StoredSplit {
  const row = project.db.prepare('SELECT id, name, kind, seed FROM splits WHERE id = ?').get(id) as
    Omit<StoredSplit, 'assignments'> | undefined
  if (!row) throw new Error(`No split with id ${id}`)
  const assignments = new Map<number, Subset>()
  for (const r of project.db
    .prepare('SELECT image_id AS imageId, subset FROM split_assignments WHERE split_id = ? ORDER BY image_id')
    .all(id) as { imageId: number; subset: Subset }[]) {
    assignments.set(r.imageId, r.subset)
  }
  return { ...row, assignments }
}

export function activeSplitId(project: Project): number | null {
  const v = getMeta(project, 'activeSplitId')
  return v ? Number(v) : null
}

export interface StoredLabelFraction {
  id: number
  splitId: number
  /** The task it was chosen for; null for selections stored before the task was recorded. */
  task: 'classification' | 'segmentation' | null
  mode: 'fraction' | 'user'
  /** 0–1. */
  fraction: number | null
  seed: number | null
  /** Whether it takes hand-made masks only or reviewed (accepted-prediction) masks too (migration 015). */
  labelSource: LabelSource
  /** The labelled set's dataset version when it was stored (core/data/labelledSet computes it). */
  contentHash: string
  active: boolean
  imageIds: number[]
}

export function saveLabelFraction(
  project: Project,
  sel: {
    splitId: number
    /** The task it is for (core/data/labelledSet always says; null: unknown). */
    task?: 'classification' | 'segmentation' | null
    mode: 'fraction' | 'user'
    fraction: number | null
    seed: number | null
    /** Default 'hand': ground truth stays human unless the user says otherwise. */
    labelSource?: LabelSource
    imageIds: number[]
  },
  contentHash: string | null = null,
  makeActive = true,
): number {
  const { db } = project
  // Without the dataset version core/data/labelledSet computes, a fingerprint of the split and ids.
  const hash =
    contentHash ??
    createHash('sha256')
      .update(`${sel.splitId}:${[...sel.imageIds].sort((a, b) => a - b).join(',')}`)
      .digest('hex')
      .slice(0, 16)
  return db
    .transaction(() => {
      if (makeActive) db.prepare('UPDATE label_fractions SET active = 0').run()
      const id = Number(
        db
          .prepare(
            'INSERT INTO label_fractions (split_id, task, mode, fraction, seed, label_source, content_hash, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            sel.splitId,
            sel.task ?? null,
            sel.mode,
            sel.fraction,
            sel.seed,
            sel.labelSource ?? 'hand',
            hash,
            makeActive ? 1 : 0,
          ).lastInsertRowid,
      )
      const ins = db.prepare('INSERT INTO label_fraction_members (label_fraction_id, image_id) VALUES (?, ?)')
      for (const imageId of new Set(sel.imageIds)) ins.run(id, imageId)
      return id
    })
    .immediate()
}

export function loadLabelFraction(project: Project, id: number): StoredLabelFraction {
  const row = project.db
    .prepare(
      'SELECT id, split_id AS splitId, task, mode, fraction, seed, label_source AS labelSource, content_hash AS contentHash, active FROM label_fractions WHERE id = ?',
    )
    .get(id) as (Omit<StoredLabelFraction, 'active' | 'imageIds'> & { active: number }) | undefined
  if (!row) throw new Error(`No label-fraction selection with id ${id}`)
  const imageIds = (
    project.db
      .prepare(
        'SELECT image_id AS i FROM label_fraction_members WHERE label_fraction_id = ? ORDER BY image_id',
      )
      .all(id) as { i: number }[]
  ).map((r) => r.i)
  return { ...row, active: row.active === 1, imageIds }
}

export function activeLabelFraction(project: Project): StoredLabelFraction | null {
  const row = project.db
    .prepare('SELECT id FROM label_fractions WHERE active = 1 ORDER BY id DESC LIMIT 1')
    .get() as { id: number } | undefined
  return row ? loadLabelFraction(project, row.id) : null
}
