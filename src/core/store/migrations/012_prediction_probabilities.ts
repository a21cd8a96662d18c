import type { Migration } from '../migration'

// A prediction keeps, beside its hard mask, how sure the model was: per-pixel probability maps, 8-bit
// (round(255·p)) and stored like masks (one 1-channel PNG, or a tiled mask manifest above the tiled-mask size).
// class_value 0 is "any mask class" (1 − p(background)); a multi-class run adds one map per class value.
// Runs predicted before this migration have no maps: the viewer says so instead of drawing one.
export const predictionProbabilities: Migration = {
  version: 12,
  name: 'prediction-probabilities',
  sql: `
    CREATE TABLE prediction_probabilities (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      class_value INTEGER NOT NULL CHECK (class_value BETWEEN 0 AND 255),
      blob TEXT NOT NULL,
      PRIMARY KEY (run_id, image_id, class_value)
    );
  `,
}
