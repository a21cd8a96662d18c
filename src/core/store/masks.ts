import type { AcceptMode, MaskRevision, MaskRevisionKind } from '../../shared/types'
import type { Project } from './project'

interface RevisionRow extends Omit<MaskRevision, 'reviewed'> {
  reviewed: number
}

const REVISION_COLUMNS =
  'id, image_id AS imageId, parent_id AS parentId, blob, kind, run_id AS runId, created_at AS createdAt, reviewed'

function fromRow(r: RevisionRow): MaskRevision {
  return { ...r, reviewed: r.reviewed === 1 }
}

export function maskHead(project: Project, imageId: number): MaskRevision | null {
  const row = project.db
    .prepare(
      `SELECT r.id, r.image_id AS imageId, r.parent_id AS parentId, r.blob, r.kind, r.run_id AS runId,
              r.created_at AS createdAt, r.reviewed
       FROM masks m JOIN mask_revisions r ON r.id = m.head_revision_id WHERE m.image_id = ?`,
    )
    .get(imageId) as RevisionRow | undefined
  return row ? fromRow(row) : null
}

function headId(project: Project, imageId: number): number | null {
  const row = project.db
    .prepare('SELECT head_revision_id AS h FROM masks WHERE image_id = ?')
    .get(imageId) as { h: number | null } | undefined
  return row?.h ?? null
}

function setHead(project: Project, imageId: number, revisionId: number | null): void {
  project.db
    .prepare(
      `INSERT INTO masks (image_id, head_revision_id) VALUES (?, ?)
       ON CONFLICT(image_id) DO UPDATE SET head_revision_id = excluded.head_revision_id`,
    )
    .run(imageId, revisionId)
}

/** How a prediction was accepted: recorded with its revision. */
export interface Acceptance {
  mode: AcceptMode
  /** The probability a pixel needed ('confident' only). */
  threshold?: number
}

/**
 * Records a new mask state as a child of the current head and moves the head to it.
 * Revisions are never deleted, so undo history survives closing and reopening. An accepted prediction
 * names the run that produced it and how it was accepted. Whether the mask is "reviewed" follows the rule of
 * migration 015: a prediction makes it so, an edit keeps its parent's state, an import is hand-made.
 */
export function commitMaskRevision(
  project: Project,
  imageId: number,
  blob: string,
  kind: MaskRevisionKind,
  runId: number | null = null,
  acceptance: Acceptance | null = null,
): MaskRevision {
  const { db } = project
  return db
    .transaction(() => {
      if (!db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId))
        throw new Error(`No image with id ${imageId}`)
      const parent = headId(project, imageId)
      const parentReviewed =
        parent !== null &&
        (db.prepare('SELECT reviewed FROM mask_revisions WHERE id = ?').get(parent) as { reviewed: number })
          .reviewed === 1
      const reviewed = kind === 'prediction' || (kind === 'edit' && parentReviewed)
      const id = Number(
        db
          .prepare(
            `INSERT INTO mask_revisions (image_id, parent_id, blob, kind, run_id, reviewed, accept_mode, accept_threshold)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            imageId,
            parent,
            blob,
            kind,
            runId,
            reviewed ? 1 : 0,
            kind === 'prediction' ? (acceptance?.mode ?? 'replace') : null,
            kind === 'prediction' && acceptance?.mode === 'confident' ? (acceptance.threshold ?? null) : null,
          ).lastInsertRowid,
      )
      setHead(project, imageId, id)
      return fromRow(
        db.prepare(`SELECT ${REVISION_COLUMNS} FROM mask_revisions WHERE id = ?`).get(id) as RevisionRow,
      )
    })
    .immediate()
}

/**
 * Whether undoing the head would go past the mask the image came with or was first saved as: the head is an
 * imported mask, or the first revision (undoing it leaves no mask). Such an undo must be asked for by name.
 */
export function undoLeavesFirstMask(project: Project, imageId: number): MaskRevision | null {
  const head = maskHead(project, imageId)
  return head && (head.kind === 'import' || head.parentId === null) ? head : null
}

/**
 * Moves the head to its parent. Returns the new head (null: no mask), or undefined if nothing to undo.
 * Past the imported or first-saved mask only with `pastFirst`; otherwise it throws, saying so.
 */
export function undoMask(
  project: Project,
  imageId: number,
  { pastFirst = false }: { pastFirst?: boolean } = {},
): MaskRevision | null | undefined {
  return project.db
    .transaction(() => {
      const h = headId(project, imageId)
      if (h === null) return undefined
      const first = undoLeavesFirstMask(project, imageId)
      if (first && !pastFirst)
        throw new Error(
          first.kind === 'import'
            ? `Undo would remove the imported mask of image ${imageId}: confirm to go past it`
            : `Undo would remove the first saved mask of image ${imageId}, leaving it without a mask: confirm to go past it`,
        )
      const row = project.db.prepare('SELECT parent_id AS p FROM mask_revisions WHERE id = ?').get(h) as {
        p: number | null
      }
      setHead(project, imageId, row.p)
      return maskHead(project, imageId)
    })
    .immediate()
}

/** The newest revision made on top of `parent` (null: a first revision): the branch redo follows. */
function newestChild(project: Project, imageId: number, parent: number | null): number | null {
  // `IS` compares NULL like a value, so one statement serves the root and every other revision.
  const row = project.db
    .prepare('SELECT id FROM mask_revisions WHERE image_id = ? AND parent_id IS ? ORDER BY id DESC LIMIT 1')
    .get(imageId, parent) as { id: number } | undefined
  return row?.id ?? null
}

/** Moves the head to its newest child (the branch last worked on). Undefined if nothing to redo. */
export function redoMask(project: Project, imageId: number): MaskRevision | undefined {
  return project.db
    .transaction(() => {
      const child = newestChild(project, imageId, headId(project, imageId))
      if (child === null) return undefined
      setHead(project, imageId, child)
      return maskHead(project, imageId) ?? undefined
    })
    .immediate()
}

/** Steps available in each direction, for enabling the undo/redo buttons. */
export function maskHistoryDepth(project: Project, imageId: number): { undo: number; redo: number } {
  const head = headId(project, imageId)
  let undo = 0
  const parentOf = project.db.prepare('SELECT parent_id AS p FROM mask_revisions WHERE id = ?')
  for (let cur = head; cur !== null; cur = (parentOf.get(cur) as { p: number | null }).p) undo++
  let redo = 0
  for (
    let next = newestChild(project, imageId, head);
    next !== null;
    next = newestChild(project, imageId, next)
  )
    redo++
  return { undo, redo }
}
