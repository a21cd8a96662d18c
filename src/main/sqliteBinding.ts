import path from 'node:path'

/**
 * Where the desktop app finds better-sqlite3 built for Electron's ABI (node_modules holds Node's copy):
 * in a checkout, out/native/<platform>-<arch>/ as `npm start` puts it (scripts/desktop/electronSqlite.mjs);
 * in an installed app, resources/native/, where the packaging config's extraResources copies it.
 */
export function electronSqliteBinding(where: {
  packaged: boolean
  /** process.resourcesPath */
  resourcesPath: string
  /** The folder of the main bundle (out/main). */
  mainDir: string
  platform: string
  arch: string
}): string {
  return where.packaged
    ? path.join(where.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(where.mainDir, '..', 'native', `${where.platform}-${where.arch}`, 'better_sqlite3.node')
}
