// The installers carry everything the app loads at run time: build/electron-builder.yml is read with
// electron-builder's own YAML parser and matched with its own FileMatcher (the code that decides what goes into
// the asar, what is unpacked and what is copied to resources/), against the real bundle in out/ (`npm run
// build` first) and the production packages in node_modules.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { packagedWasmDir } from '../../../src/main/packagedPaths'
import { electronSqliteBinding } from '../../../src/main/sqliteBinding'
import { BINARY_NAME, electronNativeDir } from '../../../scripts/desktop/electronSqlite.mjs'
import { beforePack } from '../../../scripts/desktop/beforePack.mjs'
import { ASSOCIATED_EXTENSIONS } from '../../../src/main/launchArgs'
import { gpuWindowEntry } from '../../../src/shared/gpuWindowChannels'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const OUT = path.join(ROOT, 'out')
// electron-builder's own modules, as it loads them (not our dependencies: theirs).
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const libRequire = createRequire(builderRequire.resolve('app-builder-lib/package.json'))
const yaml = libRequire('js-yaml') as { load: (text: string) => unknown }
const { FileMatcher } = libRequire('./out/fileMatcher') as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (s: string) => string,
    patterns?: string[],
  ) => { createFilter: () => (file: string, stat: fs.Stats) => boolean }
}

interface FileSet {
  from: string
  to: string
  filter?: string[]
}
interface Config {
  files: string[]
  asarUnpack: string[]
  extraResources: FileSet[]
  beforePack: string
  npmRebuild: boolean
  fileAssociations: { ext: string | string[] }[]
}
const config = yaml.load(fs.readFileSync(path.join(ROOT, 'build/electron-builder.yml'), 'utf8')) as Config
const target = { platform: process.platform, arch: process.arch }
/** electron-builder's macros for the target being packed (here: this machine's). */
const expand = (s: string) =>
  s.replace(/\$\{platform\}/g, target.platform).replace(/\$\{arch\}/g, target.arch)

/** Does a pattern list pick this file (relative to the app folder)? The way electron-builder asks it. */
function matches(patterns: string[], relative: string): boolean {
  const file = path.join(ROOT, relative)
  const filter = new FileMatcher(ROOT, '', expand, patterns).createFilter()
  return filter(file, fs.statSync(file))
}
/** Negated `files` patterns apply to node_modules as well: is this file left out of the app? */
function excluded(relative: string): boolean {
  const negations = config.files.filter((p) => p.startsWith('!'))
  return negations.length > 0 && !matches(['**/*', ...negations], relative)
}

/** The production packages electron-builder copies: dependencies and optionalDependencies, transitively. */
function productionPackages(): string[] {
  const seen = new Set<string>()
  const visit = (fromDir: string, pkg: { dependencies?: object; optionalDependencies?: object }) => {
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      let dir: string | null = null
      for (let at = fromDir; ; at = path.dirname(at)) {
        const candidate = path.join(at, 'node_modules', name)
        if (fs.existsSync(path.join(candidate, 'package.json'))) {
          dir = candidate
          break
        }
        if (at === ROOT || path.dirname(at) === at) break
      }
      if (!dir || seen.has(dir)) continue // an optional package not installed for this platform
      seen.add(dir)
      visit(dir, JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')))
    }
  }
  visit(ROOT, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')))
  return [...seen].map((d) => path.relative(ROOT, d))
}

/** Files of a package (not of its nested node_modules, which are packages of their own). */
function packageFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const rel = path.join(d, e.name)
      if (e.isDirectory() && e.name !== 'node_modules') walk(rel)
      else if (e.isFile()) found.push(rel)
    }
  }
  walk(dir)
  return found
}

/** What the OS loads by path: native addons and shared libraries. */
const nativeFile = /\.(node|dll|dylib)$|\.so(\.\d+)*$/

describe('the installers carry what the app loads at run time', () => {
  it('is a configuration electron-builder accepts (its own schema check)', async () => {
    const { validateConfiguration } = libRequire('./out/util/config/config.js') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>
    }
    const { DebugLogger } = libRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
    await validateConfiguration(config, new DebugLogger(false))
    // It does refuse what it does not know.
    await expect(validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false))).rejects.toThrow(
      /asarUnpak/,
    )
  })

  it('packs the whole bundle: main, training worker, GPU window, preloads and renderer', () => {
    const main = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).main as string
    const bundle = fs.readFileSync(path.join(ROOT, main), 'utf8')
    // The main bundle names the worker entry, the preloads and the GPU window's page relative to its folder.
    const mainDir = path.dirname(path.normalize(main))
    const worker = path.join(mainDir, 'jobWorker.js')
    const preload = path.join(mainDir, '..', 'preload', 'index.js')
    const gpuPreload = path.join(mainDir, '..', 'preload', 'gpuWindow.js')
    const gpuPage = path.join(mainDir, `${gpuWindowEntry}.html`)
    expect(bundle).toContain('"jobWorker.js"')
    expect(bundle).toContain('"../preload/index.js"')
    expect(bundle).toContain('"../preload/gpuWindow.js"')
    expect(bundle).toContain(`"${gpuWindowEntry}"`)
    const runtime = [path.normalize(main), worker, preload, gpuPreload, gpuPage, 'out/renderer/index.html']
    for (const dir of ['out/main', 'out/preload', 'out/renderer'])
      runtime.push(...packageFiles(dir).filter((f) => !f.endsWith('.map')))
    for (const file of runtime) {
      expect(fs.existsSync(path.join(ROOT, file)), `${file} (run npm run build)`).toBe(true)
      expect(matches(config.files, file), `${file} is packed`).toBe(true)
    }
    expect(matches(config.files, 'package.json')).toBe(true)
  })

  it('unpacks every native addon and shared library of the production packages (sharp, libvips, koffi)', () => {
    const packages = productionPackages()
    // The ones we know the app loads are among them, as installed for this machine.
    for (const name of ['sharp', 'koffi', '@tensorflow/tfjs-backend-wasm', 'better-sqlite3'])
      expect(packages).toContain(path.join('node_modules', name))
    const native = packages.flatMap(packageFiles).filter((f) => nativeFile.test(f))
    const names = native.map((f) => path.basename(f))
    expect(names.some((n) => n.startsWith('sharp-') && n.endsWith('.node'))).toBe(true)
    expect(names.some((n) => n.startsWith('libvips'))).toBe(true)
    expect(names).toContain('koffi.node')
    for (const file of native) {
      if (excluded(file)) continue
      expect(matches(config.asarUnpack, file), `${file} is unpacked`).toBe(true)
    }
  })

  it("leaves Node's better-sqlite3 out and copies the Electron one where the main process looks", () => {
    const nodeCopy = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    expect(excluded(nodeCopy)).toBe(true)
    expect(config.npmRebuild).toBe(false)
    const resources = path.join(ROOT, 'resources-of-installed-app')
    const wanted = electronSqliteBinding({ packaged: true, resourcesPath: resources, mainDir: '', ...target })
    const inResources = path.relative(resources, wanted)
    const copied = config.extraResources.filter((set) => {
      const from = path.resolve(ROOT, expand(set.from))
      if (from !== electronNativeDir(OUT, target.platform, target.arch)) return false
      if (path.join(set.to, BINARY_NAME) !== inResources) return false
      const filter = new FileMatcher(from, set.to, expand, set.filter).createFilter()
      const stat = { isDirectory: () => false } as fs.Stats
      return filter(path.join(from, BINARY_NAME), stat)
    })
    expect(copied, `an extraResources entry puts ${BINARY_NAME} at resources/${inResources}`).toHaveLength(1)
    // And out/native itself stays out of the asar.
    fs.mkdirSync(electronNativeDir(OUT, target.platform, target.arch), { recursive: true })
    expect(
      matches(config.files, path.relative(ROOT, electronNativeDir(OUT, target.platform, target.arch))),
    ).toBe(false)
  })

  it('unpacks the wasm binaries and the threaded glue where the training worker is told to look', () => {
    const resources = path.join(ROOT, 'resources-of-installed-app')
    const dir = packagedWasmDir({ packaged: true, resourcesPath: resources })!
    const unpacked = path.join(resources, 'app.asar.unpacked')
    const inApp = path.relative(unpacked, dir)
    expect(inApp.startsWith('..')).toBe(false)
    const wasm = fs.readdirSync(path.join(ROOT, inApp)).filter((f) => f.endsWith('.wasm'))
    expect(wasm).toEqual(
      expect.arrayContaining([
        'tfjs-backend-wasm.wasm',
        'tfjs-backend-wasm-simd.wasm',
        'tfjs-backend-wasm-threaded-simd.wasm',
      ]),
    )
    // wasmThreads.ts looks for the threaded build's glue and pthread worker in <wasmDir>/../wasm-out.
    const glue = ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.worker.js'].map(
      (n) => path.join(inApp, '..', 'wasm-out', n),
    )
    for (const file of [...wasm.map((f) => path.join(inApp, f)), ...glue]) {
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true)
      expect(excluded(file), `${file} is packed`).toBe(false)
      expect(matches(config.asarUnpack, file), `${file} is unpacked`).toBe(true)
    }
    expect(packagedWasmDir({ packaged: false, resourcesPath: resources })).toBeUndefined()
  })

  it('associates slides and TIFF images with the app: the types the app opens when the OS hands them over', () => {
    const exts = config.fileAssociations.flatMap((a) => a.ext)
    expect(exts).toEqual(expect.arrayContaining(['svs', 'ndpi', 'tif', 'tiff']))
    expect([...exts].sort()).toEqual([...ASSOCIATED_EXTENSIONS].sort())
  })

  it("fetches better-sqlite3 for each installer's platform and arch before packing", async () => {
    expect(fs.existsSync(path.join(ROOT, config.beforePack))).toBe(true)
    const calls: { platform?: string; arch?: string }[] = []
    const resolve = async (o: { platform?: string; arch?: string }) => {
      calls.push({ platform: o.platform, arch: o.arch })
      return { file: '', source: 'prebuild' as const, notes: [] }
    }
    await beforePack({ electronPlatformName: 'win32', arch: 1 }, { root: ROOT, resolve })
    await beforePack({ electronPlatformName: 'darwin', arch: 3 }, { root: ROOT, resolve })
    expect(calls).toEqual([
      { platform: 'win32', arch: 'x64' },
      { platform: 'darwin', arch: 'arm64' },
    ])
    await expect(
      beforePack({ electronPlatformName: 'darwin', arch: 4 }, { root: ROOT, resolve }),
    ).rejects.toThrow(/one arch at a time/)
  })
})
