import type Database from 'better-sqlite3'

/** What a migration's code step may use besides the database: the project's blobs (absent for a bare database). */
export interface MigrationContext {
  readBlob?(hash: string): Buffer
  /** Stores bytes as a blob and returns its hash (a migration that rewrites stored masks). */
  putBlob?(data: Uint8Array): string
}

export interface Migration {
  version: number
  name: string
  sql: string
  /** Runs after `sql`, in the same transaction, for what SQL alone cannot decide (e.g. reading mask blobs). */
  run?(db: Database.Database, context: MigrationContext): void
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings a database up to the newest schema. Each migration runs in its own transaction
 * together with its `user_version` bump, so a crash leaves the database at a whole version.
 */
export function migrate(
  db: Database.Database,
  list: readonly Migration[],
  target = Infinity,
  context: MigrationContext = {},
): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration ${m.name} has version ${m.version}, expected ${i + 1}`)
  })
  const current = schemaVersion(db)
  const newest = list.length
  if (current > newest) {
    throw new Error(
      `This project was written by a newer S4MI Studio (schema ${current}, this app knows ${newest}). Update the app to open it.`,
    )
  }
  for (const m of list) {
    if (m.version <= current || m.version > target) continue
    db.transaction(() => {
      db.exec(m.sql)
      m.run?.(db, context)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return schemaVersion(db)
}
