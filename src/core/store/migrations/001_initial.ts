import type { Migration } from '../migration'

// The first schema: everything a project needs to hold images, their annotations, and runs.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE classes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      color TEXT NOT NULL,
      ordinal INTEGER NOT NULL
    );
    CREATE TABLE images (
      id INTEGER PRIMARY KEY,
      blob TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      width INTEGER NOT NULL CHECK (width > 0),
      height INTEGER NOT NULL CHECK (height > 0),
      channels INTEGER NOT NULL,
      format TEXT NOT NULL,
      source_path TEXT,
      official_split TEXT CHECK (official_split IN ('train', 'val', 'test')),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE tiles (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      tile_size INTEGER NOT NULL,
      x INTEGER NOT NULL,
      y INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      blob TEXT NOT NULL,
      mask_blob TEXT,
      UNIQUE (image_id, tile_size, x, y)
    );
    CREATE TABLE image_labels (
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (image_id, class_id)
    );
    CREATE TABLE labelled_images (
      image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE mask_revisions (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      parent_id INTEGER REFERENCES mask_revisions(id),
      blob TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('import', 'edit', 'prediction')),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX mask_revisions_image ON mask_revisions(image_id, id);
    CREATE TABLE masks (
      image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      head_revision_id INTEGER REFERENCES mask_revisions(id)
    );
    CREATE TABLE splits (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('random', 'official')),
      seed INTEGER,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE split_assignments (
      split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      subset TEXT NOT NULL CHECK (subset IN ('train', 'val', 'test')),
      PRIMARY KEY (split_id, image_id)
    );
    CREATE TABLE label_fractions (
      id INTEGER PRIMARY KEY,
      split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
      mode TEXT NOT NULL CHECK (mode IN ('fraction', 'user')),
      fraction REAL CHECK (fraction IS NULL OR (fraction > 0 AND fraction <= 1)),
      seed INTEGER,
      content_hash TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE label_fraction_members (
      label_fraction_id INTEGER NOT NULL REFERENCES label_fractions(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      PRIMARY KEY (label_fraction_id, image_id)
    );
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      task TEXT NOT NULL,
      method TEXT NOT NULL,
      label_fraction REAL,
      seed INTEGER NOT NULL,
      config_json TEXT NOT NULL,
      dataset_version TEXT NOT NULL,
      backend TEXT,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      error TEXT,
      progress_json TEXT,
      checkpoint_blob TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      started_at TEXT,
      finished_at TEXT
    );
    CREATE TABLE run_metrics (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      epoch INTEGER,
      step INTEGER,
      subset TEXT,
      name TEXT NOT NULL,
      value REAL NOT NULL
    );
    CREATE INDEX run_metrics_run ON run_metrics(run_id, name, step);
  `,
}
