import type Database from 'better-sqlite3'
import type { Migration, MigrationContext } from '../migration'
import { maskPngValues } from '../maskPngSync'

/**
 * Mask classes apart from image labels. Until now a mask pixel's value k meant the k-th image class, so a
 * melanoma's lesion was painted and exported as the first diagnosis ("nevus"). From here a project has two
 * vocabularies: image labels (`classes`, the diagnoses) and mask classes (what a pixel is: lesion, cell,
 * necrosis…; background, 0, implicit). A mask value k now means the mask class whose `value` is k.
 *
 * Existing projects keep every revision and every pixel as they are. Every old mask was binary unless a
 * user painted with a later class, so value 1 becomes the single mask class, named for what the masks
 * showed: `lesion` in the lesion datasets (ISIC-2017, Dermofit, the dermoscopy demo), `cell` in the old H&E
 * demo, `foreground` otherwise. Values above 1 found in any revision keep the name of the class they were
 * painted with, so nothing painted loses its meaning. The names below are frozen with this migration.
 */
const LESION_DIAGNOSES = [
  'melanoma',
  'nevus',
  'seborrheic_keratosis',
  'keratosis',
  'AK',
  'BCC',
  'DF',
  'IEC',
  'MEL',
  'ML',
  'PYO',
  'SCC',
  'SK',
  'VASC',
]
const OLD_HISTOLOGY_DEMO = ['inflammation', 'vessel', 'necrosis']
const COLOURS = ['#009e73', '#f0e442', '#56b4e9', '#e69f00', '#0072b2', '#d55e00', '#cc79a7']

/** Every value any mask revision holds; null when a blob cannot be read here (the caller then keeps all). */
function valuesInRevisions(db: Database.Database, context: MigrationContext): Set<number> | null {
  const blobs = db.prepare('SELECT DISTINCT blob FROM mask_revisions').all() as { blob: string }[]
  if (blobs.length === 0) return new Set()
  if (!context.readBlob) return null
  const out = new Set<number>()
  try {
    for (const { blob } of blobs) {
      const bytes = context.readBlob(blob)
      // Whole-slide masks are a JSON manifest of tile PNGs (data/tiledMask.ts).
      const pngs =
        bytes[0] === 0x7b
          ? Object.values(
              (JSON.parse(bytes.toString('utf8')) as { tiles: Record<string, string> }).tiles,
            ).map((t) => context.readBlob!(t))
          : [bytes]
      for (const png of pngs) for (const v of maskPngValues(png)) out.add(v)
    }
  } catch {
    return null
  }
  return out
}

function convert(db: Database.Database, context: MigrationContext): void {
  // A new project (nothing in it yet) gets its mask classes from whoever creates it.
  const empty = (sql: string) => (db.prepare(sql).get() as { n: number }).n === 0
  if (empty('SELECT COUNT(*) AS n FROM classes') && empty('SELECT COUNT(*) AS n FROM images')) return
  const old = (
    db.prepare('SELECT id, name FROM classes ORDER BY ordinal, id').all() as {
      id: number
      name: string
    }[]
  ).map((c) => c.name)
  const isLesion = old.some((n) => LESION_DIAGNOSES.includes(n))
  const first = isLesion
    ? 'lesion'
    : old.length > 0 && old.every((n) => OLD_HISTOLOGY_DEMO.includes(n))
      ? 'cell'
      : 'foreground'
  const found = valuesInRevisions(db, context)
  const values = found
    ? [...found].filter((v) => v > 0).sort((a, b) => a - b)
    : Array.from({ length: Math.max(1, old.length) }, (_, i) => i + 1)
  if (!values.includes(1)) values.unshift(1)
  const insert = db.prepare('INSERT INTO mask_classes (value, name, color) VALUES (?, ?, ?)')
  const used = new Set<string>()
  values.forEach((v, i) => {
    let name = v === 1 ? first : (old[v - 1] ?? `class ${v}`)
    if (used.has(name)) name = `${name} (${v})`
    used.add(name)
    insert.run(v, name, COLOURS[i % COLOURS.length])
  })
  // Each diagnosis of a lesion dataset is a kind of lesion: painting on such an image starts with `lesion`.
  if (isLesion)
    db.prepare('UPDATE classes SET mask_class_id = (SELECT id FROM mask_classes WHERE value = 1)').run()
}

export const maskClasses: Migration = {
  version: 6,
  name: 'mask-classes',
  sql: `
    CREATE TABLE mask_classes (
      id INTEGER PRIMARY KEY,
      value INTEGER NOT NULL UNIQUE CHECK (value BETWEEN 1 AND 255),
      name TEXT NOT NULL UNIQUE,
      color TEXT NOT NULL
    );
    ALTER TABLE classes ADD COLUMN mask_class_id INTEGER REFERENCES mask_classes(id) ON DELETE SET NULL;
  `,
  run: convert,
}
