import type { Migration } from '../migration'

// An accepted prediction is a mask revision like any other, but a reviewer must be able to tell which
// trained run produced it: the run is recorded with the revision (kept, as NULL, if the run is deleted).
export const revisionRuns: Migration = {
  version: 7,
  name: 'revision-runs',
  sql: `
    ALTER TABLE mask_revisions ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
  `,
}
