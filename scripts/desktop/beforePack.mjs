// @ts-check
// electron-builder's beforePack hook (build/electron-builder.yml): better-sqlite3 for the Electron of the
// installer being built, per target platform and arch, into out/native/<platform>-<arch>/, from where the
// packaging config's extraResources copies it to resources/native/ (src/main/sqliteBinding.ts reads it there).
// npmRebuild is off, so node_modules keeps Node's copy for tests, the CLI and serve mode.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronInstall } from './electronInstall.mjs'
import { resolveElectronSqlite } from './electronSqlite.mjs'

/** electron-builder's Arch enum, by number. */
const archNames = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']

/**
 * @param {{ electronPlatformName: string, arch: number }} context electron-builder's BeforePackContext
 * @param {{ root?: string, resolve?: typeof resolveElectronSqlite }} [options] for tests
 */
export async function beforePack(context, options = {}) {
  const root = options.root || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
  const resolve = options.resolve || resolveElectronSqlite
  const arch = archNames[context.arch]
  if (!arch || arch === 'universal')
    throw new Error(
      `S4MI Studio: no better-sqlite3 for Electron on arch ${arch ?? context.arch}: build one arch at a time`,
    )
  const electron = electronInstall(root)
  if (!electron.version) throw new Error('S4MI Studio: Electron is not installed (npm install first)')
  await resolve({
    root,
    electronVersion: electron.version,
    abi: electron.abi || '',
    platform: context.electronPlatformName,
    arch,
  })
}
