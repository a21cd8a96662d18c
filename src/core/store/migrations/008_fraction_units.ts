import type { Migration } from '../migration'

// One unit for label fractions inside the app: 0–1 (0.3 is 30 %), as label_fractions already stores them.
// Runs stored percent (30); they now store the fraction, in their column and in their recorded config.
// A labelled set also records the task it was chosen for, so a run never trains segmentation on a set of
// images chosen for their image labels (or the other way round) without saying so.
export const fractionUnits: Migration = {
  version: 8,
  name: 'fraction-units',
  sql: `
    UPDATE runs SET label_fraction = label_fraction / 100.0 WHERE label_fraction IS NOT NULL;
    UPDATE runs SET config_json = json_set(config_json, '$.labelFraction',
        json_extract(config_json, '$.labelFraction') / 100.0)
      WHERE json_type(config_json, '$.labelFraction') IN ('integer', 'real');
    ALTER TABLE label_fractions ADD COLUMN task TEXT CHECK (task IS NULL OR task IN ('classification', 'segmentation'));
  `,
}
