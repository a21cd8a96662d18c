import type { Migration } from '../migration'

// Self-supervised pretraining (DINO, CASS) is done once per method, backbone, preset, seed, training
// images and settings, and fine-tuned at every label fraction from that one checkpoint, as the paper does.
// A row is 'partial' while pretraining runs (its blob: the last epoch's checkpoint, for resume after a
// kill) and 'complete' when the backbone is final.
export const pretrainedBackbones: Migration = {
  version: 5,
  name: 'pretrained-backbones',
  sql: `
    CREATE TABLE pretrained_backbones (
      id INTEGER PRIMARY KEY,
      method TEXT NOT NULL,
      backbone TEXT NOT NULL,
      preset TEXT NOT NULL,
      seed INTEGER NOT NULL,
      dataset_version TEXT NOT NULL,
      settings_hash TEXT NOT NULL,
      settings_json TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('partial', 'complete')),
      epoch INTEGER NOT NULL,
      blob TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      UNIQUE (method, backbone, preset, seed, dataset_version, settings_hash)
    );
  `,
}
