import type { Migration } from '../migration'

// The label-fraction selection a user chose in the panel is what training uses by default;
// it must survive reopening the project, so it is stored, not kept in the window.
export const activeSelection: Migration = {
  version: 3,
  name: 'active-selection',
  sql: `
    ALTER TABLE label_fractions ADD COLUMN active INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX label_fractions_split ON label_fractions(split_id);
    CREATE INDEX image_labels_class ON image_labels(class_id);
  `,
}
