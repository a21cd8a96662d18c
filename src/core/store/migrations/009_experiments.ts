import type { Migration } from '../migration'

// An experiment is the paper's matrix as one stored object: over one project and its split, every
// task × method × backbone × label fraction × seed, with a preset. Its runs are ordinary runs, linked to it;
// a run done before (same identity) is linked rather than trained again.
// A run's identity is a hash of everything that decides its metrics (task, method, resolved
// hyperparameters, label fraction, seed, backend, dataset version): two runs with the same identity are a
// repeat of one another, never two seeds.
export const experiments: Migration = {
  version: 9,
  name: 'experiments',
  sql: `
    CREATE TABLE experiments (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      split_id INTEGER REFERENCES splits(id) ON DELETE SET NULL,
      spec_json TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE experiment_runs (
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      PRIMARY KEY (experiment_id, run_id)
    );
    CREATE INDEX experiment_runs_run ON experiment_runs(run_id);
    ALTER TABLE runs ADD COLUMN identity TEXT;
    CREATE INDEX runs_identity ON runs(identity);
  `,
}
