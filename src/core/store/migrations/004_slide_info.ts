import type { Migration } from '../migration'

// Whole-slide images carry a physical size (microns per pixel, the scan's magnification) that the viewer's
// scale bar and the tiling at a chosen magnification need, and the tissue detection that decided which
// tiles were cut (its low-resolution mask, threshold and counts), kept so the viewer can show it.
export const slideInfo: Migration = {
  version: 4,
  name: 'slide-info',
  sql: `
    CREATE TABLE slide_info (
      image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      format_name TEXT NOT NULL,
      mpp_x REAL CHECK (mpp_x IS NULL OR mpp_x > 0),
      mpp_y REAL CHECK (mpp_y IS NULL OR mpp_y > 0),
      magnification REAL CHECK (magnification IS NULL OR magnification > 0),
      scanner TEXT,
      tile_downsample REAL NOT NULL DEFAULT 1 CHECK (tile_downsample >= 1),
      tissue_mask_blob TEXT,
      tissue_downsample REAL,
      tissue_threshold INTEGER,
      tiles_kept INTEGER,
      tiles_skipped INTEGER
    );
  `,
}
