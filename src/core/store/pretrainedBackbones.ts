import type { Project } from './project'

/** Which pretraining a stored backbone is: the same key is the same pretraining, reused at every fraction. */
export interface PretrainedBackboneKey {
  method: string
  backbone: string
  preset: string
  seed: number
  /** Fingerprint of the training images the pretraining saw (not of the labels: it uses none). */
  datasetVersion: string
  /** Fingerprint of the pretraining's settings (epochs, crops, temperatures…). */
  settingsHash: string
}

export interface PretrainedBackboneRow extends PretrainedBackboneKey {
  id: number
  settings: unknown
  status: 'partial' | 'complete'
  /** Epochs of pretraining the blob holds. */
  epoch: number
  blob: string
  createdAt: string
  updatedAt: string
}

const COLUMNS = `id, method, backbone, preset, seed, dataset_version AS datasetVersion,
  settings_hash AS settingsHash, settings_json AS settingsJson, status, epoch, blob,
  created_at AS createdAt, updated_at AS updatedAt`

type Row = Omit<PretrainedBackboneRow, 'settings'> & { settingsJson: string }

const fromRow = ({ settingsJson, ...r }: Row): PretrainedBackboneRow => ({
  ...r,
  settings: JSON.parse(settingsJson),
})

export function findPretrainedBackbone(
  project: Project,
  key: PretrainedBackboneKey,
): PretrainedBackboneRow | null {
  const r = project.db
    .prepare(
      `SELECT ${COLUMNS} FROM pretrained_backbones
       WHERE method = ? AND backbone = ? AND preset = ? AND seed = ? AND dataset_version = ? AND settings_hash = ?`,
    )
    .get(key.method, key.backbone, key.preset, key.seed, key.datasetVersion, key.settingsHash) as
    Row | undefined
  return r ? fromRow(r) : null
}

/** Records the pretraining's state for its key (one row per key, updated as epochs go by). */
export function putPretrainedBackbone(
  project: Project,
  key: PretrainedBackboneKey,
  entry: { settings: unknown; status: 'partial' | 'complete'; epoch: number; blob: string },
): number {
  const r = project.db
    .prepare(
      `INSERT INTO pretrained_backbones
         (method, backbone, preset, seed, dataset_version, settings_hash, settings_json, status, epoch, blob)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (method, backbone, preset, seed, dataset_version, settings_hash) DO UPDATE SET
         settings_json = excluded.settings_json, status = excluded.status, epoch = excluded.epoch,
         blob = excluded.blob, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       RETURNING id`,
    )
    .get(
      key.method,
      key.backbone,
      key.preset,
      key.seed,
      key.datasetVersion,
      key.settingsHash,
      JSON.stringify(entry.settings),
      entry.status,
      entry.epoch,
      entry.blob,
    ) as { id: number }
  return r.id
}

export function listPretrainedBackbones(project: Project): PretrainedBackboneRow[] {
  return (project.db.prepare(`SELECT ${COLUMNS} FROM pretrained_backbones ORDER BY id`).all() as Row[]).map(
    fromRow,
  )
}
