import type { Migration } from '../migration'

// A run can be opened, hidden and deleted: `hidden` keeps it stored (and in exports that ask for hidden
// runs) but out of the results pane; its log lines (weights' origin, early stopping, warnings) are kept
// with it instead of going only to the worker's stderr.
export const runPages: Migration = {
  version: 10,
  name: 'run-pages',
  sql: `
    ALTER TABLE runs ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
    CREATE TABLE run_log (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      line TEXT NOT NULL
    );
    CREATE INDEX run_log_run ON run_log(run_id, id);
  `,
}
