// better-sqlite3 is built for Node (tests, CLI, serve mode). Electron has another ABI, so `npm start`
// builds a second copy of the addon for Electron into out/native/ once, and the desktop app loads that
// one through better-sqlite3's `nativeBinding` option. Node keeps its own; nothing is rebuilt in place.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const target = path.resolve('out', 'native', `electron-${electronVersion}`, 'better_sqlite3.node')
if (fs.existsSync(target)) process.exit(0)

const source = path.dirname(require.resolve('better-sqlite3/package.json'))
const work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-electron-native-'))
fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) })
console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`)
const gyp = require.resolve('node-gyp/bin/node-gyp.js')
execFileSync(
  process.execPath,
  [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit' },
)
fs.mkdirSync(path.dirname(target), { recursive: true })
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target)
fs.rmSync(work, { recursive: true, force: true })
console.log(`Wrote ${target}`)
