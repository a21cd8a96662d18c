// @ts-check
// better-sqlite3 for Electron's ABI, without a compiler when possible. node_modules keeps the copy built for
// Node (tests, CLI, serve mode); the desktop app loads a second copy from out/native/<platform>-<arch>/:
//   1. the prebuilt binary better-sqlite3 publishes for this Electron, platform and arch (prebuild-install,
//      which also reads npm's download cache and the npm_config_better_sqlite3_binary_host mirror);
//   2. only when there is none: compile it against Electron's headers with node-gyp;
//   3. when compiling fails: one line saying what to install on this OS.
// Every step is a function the tests replace; nothing here needs Electron itself.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

export const BINARY_NAME = 'better_sqlite3.node'
const RECORD_NAME = 'better_sqlite3.json'

/**
 * Where the Electron copy lives for one platform and arch. The desktop app (src/main) and the packaging
 * config (extraResources) read the same place.
 * @param {string} outRoot usually <project>/out
 * @param {string} platform
 * @param {string} arch
 */
export function electronNativeDir(outRoot, platform, arch) {
  return path.join(outRoot, 'native', `${platform}-${arch}`)
}

/**
 * What to install so node-gyp can compile, on each OS: one line.
 * @param {string} platform
 */
export function compilerHint(platform) {
  if (platform === 'win32')
    return 'install Visual Studio Build Tools with the "Desktop development with C++" workload (https://visualstudio.microsoft.com/visual-cpp-build-tools/) and Python 3 (https://www.python.org), then run npm start again.'
  if (platform === 'darwin')
    return 'install the Xcode Command Line Tools (xcode-select --install; they include Python 3), then run npm start again.'
  return 'install a C++ toolchain and Python 3 (Debian/Ubuntu: sudo apt install build-essential python3; Fedora: sudo dnf install gcc-c++ make python3), then run npm start again.'
}

/**
 * Does a binary look like a shared library for this platform? (ELF, Mach-O, PE.) A prebuilt binary for the
 * wrong OS is refused before the desktop app tries to load it.
 * @param {Buffer} head the first bytes of the file
 * @param {string} platform
 */
export function looksLikeAddonFor(head, platform) {
  if (head.length < 4) return false
  const magic = head.readUInt32BE(0)
  if (platform === 'win32') return head[0] === 0x4d && head[1] === 0x5a // "MZ"
  if (platform === 'darwin') return [0xcffaedfe, 0xcefaedfe, 0xfeedfacf, 0xcafebabe].includes(magic)
  return magic === 0x7f454c46 // "\x7fELF"
}

/**
 * @typedef {{
 *   electronVersion: string, abi: string, platform: string, arch: string,
 *   sqliteDir: string, sqliteVersion: string, work: string, root: string, env: NodeJS.ProcessEnv,
 * }} StepInput
 * @typedef {(input: StepInput) => Promise<string>} Step a step returns the path of the .node it produced
 * @typedef {{
 *   electronVersion: string, abi: string, betterSqlite3: string, platform: string, arch: string,
 *   source: 'prebuild' | 'compiled',
 * }} NativeRecord
 */

/**
 * The recorded copy, if it is for this Electron, better-sqlite3, platform and arch.
 * @param {string} dir
 * @param {{ electronVersion: string, betterSqlite3: string, platform: string, arch: string }} want
 * @returns {NativeRecord | null}
 */
export function currentCopy(dir, want) {
  try {
    /** @type {NativeRecord} */
    const r = JSON.parse(fs.readFileSync(path.join(dir, RECORD_NAME), 'utf8'))
    const ok =
      r.electronVersion === want.electronVersion &&
      r.betterSqlite3 === want.betterSqlite3 &&
      r.platform === want.platform &&
      r.arch === want.arch &&
      fs.statSync(path.join(dir, BINARY_NAME)).size > 0
    return ok ? r : null
  } catch {
    return null
  }
}

/**
 * Step 1: better-sqlite3's published prebuild for Electron, through prebuild-install (npm cache first, then
 * the download). Runs in a scratch folder holding only better-sqlite3's package.json.
 * @type {Step}
 */
export async function prebuildStep(input) {
  const require = createRequire(path.join(input.root, 'package.json'))
  const bin = require.resolve('prebuild-install/bin.js')
  fs.copyFileSync(path.join(input.sqliteDir, 'package.json'), path.join(input.work, 'package.json'))
  const args = [
    bin,
    '--runtime=electron',
    `--target=${input.electronVersion}`,
    `--platform=${input.platform}`,
    `--arch=${input.arch}`,
    '--tag-prefix=v',
    '--verbose',
  ]
  const r = spawnSync(process.execPath, args, { cwd: input.work, encoding: 'utf8', env: input.env })
  const file = path.join(input.work, 'build', 'Release', BINARY_NAME)
  if (r.status === 0 && fs.existsSync(file)) return file
  const said = `${r.stderr || ''}\n${r.stdout || ''}`
    .split('\n')
    .filter((l) => /warn|err/i.test(l) && !/prebuild-install info/.test(l))
    .map((l) =>
      l
        .replace(/^prebuild-install (warn|WARN|error|ERR!?)\s*/, '')
        .replace(/^(install|download)\s+/, '')
        .trim(),
    )
    .filter(Boolean)
  throw new Error(said.length ? said.slice(-2).join('; ') : `prebuild-install exited with ${r.status}`)
}

/**
 * Step 2: compile with node-gyp against Electron's headers, in a copy of better-sqlite3's sources.
 * @type {Step}
 */
export async function compileStep(input) {
  const require = createRequire(path.join(input.root, 'package.json'))
  const gyp = require.resolve('node-gyp/bin/node-gyp.js')
  const src = path.join(input.work, 'src')
  const nodeBuild = path.join(input.sqliteDir, 'build')
  fs.cpSync(input.sqliteDir, src, {
    recursive: true,
    filter: (p) => p !== nodeBuild && !p.startsWith(nodeBuild + path.sep),
  })
  const args = [
    gyp,
    'rebuild',
    '--release',
    `--target=${input.electronVersion}`,
    `--arch=${input.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]
  const r = spawnSync(process.execPath, args, { cwd: src, encoding: 'utf8', env: input.env })
  const file = path.join(src, 'build', 'Release', BINARY_NAME)
  if (r.status === 0 && fs.existsSync(file)) return file
  const output = `${r.stdout || ''}\n${r.stderr || ''}`
  process.stderr.write(output.split('\n').slice(-40).join('\n') + '\n')
  throw new CompileFailure(r.error ? r.error.message : `node-gyp exited with ${r.status}`, output)
}

/** A failed compile, with node-gyp's output so the message can say what was missing. */
export class CompileFailure extends Error {
  /** @param {string} message @param {string} output */
  constructor(message, output) {
    super(message)
    this.output = output
  }
}

/**
 * The one line after a failed compile: what to install on this OS, or that Electron's headers could not be
 * downloaded (then installing a compiler would not help).
 * @param {string} what
 * @param {unknown} e
 * @param {string} platform
 */
export function compileFailureMessage(what, e, platform) {
  const output = e instanceof CompileFailure ? e.output : ''
  const reason = e instanceof Error ? e.message : String(e)
  if (
    /network connectivity|getaddrinfo|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|self.signed|certificate/i.test(
      output,
    )
  )
    return `S4MI Studio: could not compile ${what}: Electron's headers could not be downloaded from electronjs.org (${reason}). Check the network or proxy (HTTPS_PROXY), then run npm start again.`
  return `S4MI Studio: could not compile ${what} (${reason}). To compile it, ${compilerHint(platform)}`
}

/**
 * Puts better-sqlite3 for Electron into out/native/<platform>-<arch>/ unless a copy for this Electron is
 * already there. Returns where it came from; throws with a message to show as is.
 * @param {{
 *   root: string, outRoot?: string, electronVersion: string, abi: string,
 *   platform?: string, arch?: string,
 *   host?: { platform: string, arch: string },
 *   steps?: { prebuild: Step, compile: Step },
 *   env?: NodeJS.ProcessEnv,
 *   log?: (line: string) => void,
 * }} options
 * @returns {Promise<{ file: string, source: 'prebuild' | 'compiled' | 'already there', notes: string[] }>}
 */
export async function resolveElectronSqlite(options) {
  const { electronVersion, abi } = options
  const root = path.resolve(options.root)
  const platform = options.platform || process.platform
  const arch = options.arch || process.arch
  const host = options.host || { platform: process.platform, arch: process.arch }
  const steps = options.steps || { prebuild: prebuildStep, compile: compileStep }
  const log = options.log || ((line) => console.log(line))
  const sqliteDir = path.dirname(
    createRequire(path.join(root, 'package.json')).resolve('better-sqlite3/package.json'),
  )
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version
  const dir = electronNativeDir(options.outRoot || path.join(root, 'out'), platform, arch)
  const target = path.join(dir, BINARY_NAME)
  const want = { electronVersion, betterSqlite3: sqliteVersion, platform, arch }
  if (currentCopy(dir, want)) return { file: target, source: 'already there', notes: [] }

  const what = `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch})`
  const notes = []
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-electron-sqlite-'))
  try {
    const env = options.env || process.env
    const input = { electronVersion, abi, platform, arch, sqliteDir, sqliteVersion, work, root, env }
    /** @type {'prebuild' | 'compiled'} */
    let source = 'prebuild'
    let built = null
    log(`S4MI Studio: getting ${what}, once…`)
    try {
      built = await steps.prebuild({ ...input, work: fresh(work, 'prebuild') })
      if (!looksLikeAddonFor(readHead(built), platform)) {
        notes.push(`the prebuilt binary is not a ${platform} library`)
        built = null
      }
    } catch (e) {
      notes.push(`no prebuilt binary: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (!built) {
      if (platform !== host.platform || arch !== host.arch)
        throw new Error(
          `S4MI Studio: no prebuilt ${what} (${notes.join('; ')}), and it cannot be compiled on ${host.platform}-${host.arch}: build the installer for ${platform}-${arch} on such a machine.`,
        )
      log(`S4MI Studio: ${notes.join('; ')}. Compiling it instead (needs a C++ toolchain and Python 3)…`)
      source = 'compiled'
      try {
        built = await steps.compile({ ...input, work: fresh(work, 'compile') })
      } catch (e) {
        throw new Error(compileFailureMessage(what, e, platform))
      }
    }
    fs.mkdirSync(dir, { recursive: true })
    const partial = `${target}.${process.pid}.tmp`
    fs.copyFileSync(built, partial)
    fs.renameSync(partial, target)
    /** @type {NativeRecord} */
    const record = { ...want, abi, source }
    fs.writeFileSync(path.join(dir, RECORD_NAME), JSON.stringify(record, null, 2) + '\n')
    log(
      `S4MI Studio: ${source === 'prebuild' ? 'using the prebuilt' : 'compiled'} ${what} (${path.relative(root, target)})`,
    )
    return { file: target, source, notes }
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/** @param {string} work @param {string} name */
function fresh(work, name) {
  const dir = path.join(work, name)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

/** @param {string} file */
function readHead(file) {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(8)
    fs.readSync(fd, head, 0, 8, 0)
    return head
  } finally {
    fs.closeSync(fd)
  }
}
