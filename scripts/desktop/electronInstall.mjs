// @ts-check
// Is the Electron that package.json asks for installed, and is its binary there? Electron 45's npm package
// downloads the binary on first use (no install script), so `npm start` fetches it here, once, with a clear
// message, instead of failing halfway through electron-vite.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'

/** Where Electron's installer puts the executable, per platform (as electron/install.js names it). */
const EXECUTABLE = /** @type {Record<string, string>} */ ({
  darwin: 'Electron.app/Contents/MacOS/Electron',
  mas: 'Electron.app/Contents/MacOS/Electron',
  linux: 'electron',
  freebsd: 'electron',
  openbsd: 'electron',
  win32: 'electron.exe',
})

/**
 * @typedef {{
 *   version: string | null,
 *   wanted: string | null,
 *   abi: string | null,
 *   executable: string | null,
 *   binaryPresent: boolean,
 * }} ElectronInstall
 */

/**
 * What node_modules/electron holds. Reads files only: requiring 'electron' would start a download.
 * @param {string} root
 * @param {{ platform?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {ElectronInstall}
 */
export function electronInstall(root, options = {}) {
  const platform = options.platform || process.platform
  const env = options.env || process.env
  const dir = path.join(root, 'node_modules', 'electron')
  const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const wanted =
    (own.devDependencies && own.devDependencies.electron) ||
    (own.dependencies && own.dependencies.electron) ||
    null
  const read = (/** @type {string} */ f) => {
    try {
      return fs.readFileSync(path.join(dir, f), 'utf8').trim()
    } catch {
      return null
    }
  }
  const pkg = read('package.json')
  const version = pkg ? JSON.parse(pkg).version : null
  const relative = EXECUTABLE[platform] || null
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist')
  const executable = relative ? path.join(dist, relative) : null
  const distVersion = (read(path.join('dist', 'version')) || '').replace(/^v/, '')
  const binaryPresent =
    !!executable &&
    fs.existsSync(executable) &&
    (!!env.ELECTRON_OVERRIDE_DIST_PATH || (distVersion === version && read('path.txt') === relative))
  return { version, wanted, abi: read('abi_version'), executable, binaryPresent }
}

/**
 * The message when the installed Electron is not the one package.json asks for, or null.
 * @param {ElectronInstall} e
 */
export function electronVersionProblem(e) {
  if (!e.version)
    return 'S4MI Studio: Electron is not installed in node_modules. Run npm install (with network), then npm start.'
  if (e.wanted && !semver.satisfies(e.version, e.wanted))
    return `S4MI Studio: node_modules has Electron ${e.version} but package.json asks for ${e.wanted}. Run npm install, then npm start.`
  return null
}

/**
 * Downloads the Electron binary with Electron's own installer. Returns null on success, else a message.
 * @param {string} root
 * @param {ElectronInstall} e
 * @param {(file: string) => { status: number | null, error?: Error }} [run] runs a Node script (tests fake it)
 */
export function downloadElectronBinary(root, e, run = runNodeScript) {
  console.log(`S4MI Studio: downloading the Electron ${e.version} binary (once, about 100 MB)…`)
  const result = run(path.join(root, 'node_modules', 'electron', 'install.js'))
  if (result.status === 0) return null
  return [
    `S4MI Studio: could not download Electron ${e.version}${result.error ? ` (${result.error.message})` : ''}.`,
    '  Check the network; behind a proxy set HTTPS_PROXY, or use a mirror with ELECTRON_MIRROR; then run npm start again.',
  ].join('\n')
}

/** @param {string} file */
function runNodeScript(file) {
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' })
  return { status: r.status, error: r.error }
}
