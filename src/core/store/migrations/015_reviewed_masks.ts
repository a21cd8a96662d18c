import type { Migration } from '../migration'

// "Reviewed" is a state of a mask apart from "labelled by hand": a mask that came, wholly or in part, from
// an accepted prediction. Each revision records it, so undo moves the state with the head:
// - accepting a prediction makes a reviewed revision, recording how (the whole prediction, only where
//   unpainted, or only confident pixels and the threshold);
// - painting on a reviewed mask keeps it reviewed (corrected, but still drawn from the model's proposal:
//   a pathologist's correction of a proposal is not an independent hand annotation, and a hand-only
//   experiment must not train on it);
// - an imported mask is the dataset's own ground truth, hand-made, whatever came before.
// Existing revisions get the same rule over their history. A labelled set records whether it takes hand
// masks only or reviewed ones too; sets drawn before this took every mask, so they are marked 'reviewed'.
export const reviewedMasks: Migration = {
  version: 15,
  name: 'reviewed-masks',
  sql: `
    ALTER TABLE mask_revisions ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1));
    ALTER TABLE mask_revisions ADD COLUMN accept_mode TEXT
      CHECK (accept_mode IS NULL OR accept_mode IN ('replace', 'fillUnpainted', 'confident'));
    ALTER TABLE mask_revisions ADD COLUMN accept_threshold REAL
      CHECK (accept_threshold IS NULL OR (accept_threshold > 0 AND accept_threshold <= 1));
    WITH RECURSIVE lineage(id) AS (
      SELECT id FROM mask_revisions WHERE kind = 'prediction'
      UNION
      SELECT c.id FROM mask_revisions c JOIN lineage l ON c.parent_id = l.id WHERE c.kind = 'edit'
    )
    UPDATE mask_revisions SET reviewed = 1 WHERE id IN (SELECT id FROM lineage);
    ALTER TABLE label_fractions ADD COLUMN label_source TEXT NOT NULL DEFAULT 'hand'
      CHECK (label_source IN ('hand', 'reviewed'));
    UPDATE label_fractions SET label_source = 'reviewed';
  `,
}
