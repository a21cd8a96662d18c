import type { Migration } from '../migration'

// Predicted masks are stored per run and image, apart from the annotator's own revisions,
// so a prediction never overwrites a clinician's mask until they accept it.
export const predictions: Migration = {
  version: 2,
  name: 'predictions',
  sql: `
    CREATE TABLE predictions (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      blob TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      UNIQUE (run_id, image_id)
    );
  `,
}
