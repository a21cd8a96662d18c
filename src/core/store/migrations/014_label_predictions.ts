import type { Migration } from '../migration'

// A finished classification run predicts the images nobody has labelled (the labelling loop): each image's
// class probabilities (a slide's tiles averaged, as the run was scored), kept per run and never written
// over the image's own labels. Stored by class id, so renaming a class keeps its predictions. Deleting
// the run, the image or the class deletes them.
export const labelPredictions: Migration = {
  version: 14,
  name: 'label-predictions',
  sql: `
    CREATE TABLE label_predictions (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
      probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (run_id, image_id, class_id)
    );
    CREATE INDEX label_predictions_image ON label_predictions(image_id);
  `,
}
