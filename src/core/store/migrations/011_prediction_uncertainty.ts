import type { Migration } from '../migration'

// The labelling loop ranks unlabelled images by how unsure a run is about them. Each score is stored with
// the run's prediction it belongs to, under the strategy that measured it (predictive entropy, cross
// teaching's CNN vs Swin-UNet disagreement, Monte Carlo dropout variance), with a small map of where the
// doubt lies for the viewer's heatmap. Deleting the run or the image deletes its scores.
export const predictionUncertainty: Migration = {
  version: 11,
  name: 'prediction-uncertainty',
  sql: `
    CREATE TABLE prediction_uncertainty (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      strategy TEXT NOT NULL CHECK (strategy IN ('entropy', 'disagreement', 'mc-dropout')),
      score REAL NOT NULL,
      map_blob TEXT,
      map_width INTEGER,
      map_height INTEGER,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (run_id, image_id, strategy)
    );
    CREATE INDEX prediction_uncertainty_rank ON prediction_uncertainty(run_id, strategy, score);
  `,
}
