import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  CompileFailure,
  compileFailureMessage,
  compilerHint,
  electronNativeDir,
  looksLikeAddonFor,
  prebuildStep,
  resolveElectronSqlite,
} from '../../../scripts/desktop/electronSqlite.mjs'
import { fakeAddon, putPrebuildInCache } from './fakePrebuild'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const electron = { electronVersion: '45.5.0', abi: '150' }
const tmp: string[] = []
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function tmpDir(name: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `s4mi-${name}-`))
  tmp.push(d)
  return d
}

/**
 * prebuild-install's environment with only our npm cache: no build-from-source (CI sets it for the Node copy),
 * and a mirror that refuses connections, so a cache miss fails at once instead of reaching out.
 */
function offlineEnv(npmCache: string, opts: { mirror?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k)) env[k] = v
  env.npm_config_cache = npmCache
  if (opts.mirror) env.npm_config_better_sqlite3_binary_host = 'http://127.0.0.1:9'
  return env
}

const noCompile = async (): Promise<string> => {
  throw new Error('compile must not run when a prebuild exists')
}

describe('better-sqlite3 for Electron: prebuilt first', () => {
  it("takes the prebuild from npm's download cache with the real prebuild-install, no compiler, no network", async () => {
    const cache = tmpDir('npm-cache')
    const out = tmpDir('out')
    const addon = fakeAddon(process.platform, 'better-sqlite3 for electron-v150')
    putPrebuildInCache(cache, { abi: electron.abi, platform: process.platform, arch: process.arch }, addon)
    const compile = vi.fn(noCompile)
    const r = await resolveElectronSqlite({
      root: ROOT,
      outRoot: out,
      ...electron,
      env: offlineEnv(cache),
      steps: { prebuild: prebuildStep, compile },
      log: () => {},
    })
    expect(r.source).toBe('prebuild')
    expect(compile).not.toHaveBeenCalled()
    const dir = electronNativeDir(out, process.platform, process.arch)
    expect(r.file).toBe(path.join(dir, 'better_sqlite3.node'))
    expect(fs.readFileSync(r.file).equals(addon)).toBe(true)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'better_sqlite3.json'), 'utf8'))).toMatchObject({
      electronVersion: '45.5.0',
      abi: '150',
      platform: process.platform,
      arch: process.arch,
      source: 'prebuild',
    })
    // The Node copy in node_modules is untouched: tests, CLI and serve keep loading it.
    const Database = (await import('better-sqlite3')).default
    expect(new Database(':memory:').prepare('select 1 as x').get()).toEqual({ x: 1 })
  })

  it('asks prebuild-install for the target platform and arch (an installer for another OS)', async () => {
    const cache = tmpDir('npm-cache')
    const out = tmpDir('out')
    const addon = fakeAddon('win32', 'windows x64 prebuild')
    putPrebuildInCache(cache, { abi: '150', platform: 'win32', arch: 'x64' }, addon)
    const r = await resolveElectronSqlite({
      root: ROOT,
      outRoot: out,
      ...electron,
      platform: 'win32',
      arch: 'x64',
      host: { platform: 'linux', arch: 'x64' },
      env: offlineEnv(cache),
      steps: { prebuild: prebuildStep, compile: noCompile },
      log: () => {},
    })
    expect(r.source).toBe('prebuild')
    expect(fs.readFileSync(path.join(out, 'native', 'win32-x64', 'better_sqlite3.node')).equals(addon)).toBe(
      true,
    )
  })

  it('compiles only when no prebuild exists, and says why', async () => {
    const cache = tmpDir('npm-cache') // empty: prebuild-install tries the (refusing) mirror and gives up
    const out = tmpDir('out')
    const compiled = path.join(tmpDir('gyp'), 'better_sqlite3.node')
    fs.writeFileSync(compiled, fakeAddon(process.platform, 'compiled by node-gyp'))
    const compile = vi.fn(async (_input: { electronVersion: string; platform: string }) => compiled)
    const lines: string[] = []
    const r = await resolveElectronSqlite({
      root: ROOT,
      outRoot: out,
      ...electron,
      env: offlineEnv(cache, { mirror: true }),
      steps: { prebuild: prebuildStep, compile },
      log: (l) => lines.push(l),
    })
    expect(compile).toHaveBeenCalledTimes(1)
    expect(compile.mock.calls[0][0]).toMatchObject({ electronVersion: '45.5.0', platform: process.platform })
    expect(r.source).toBe('compiled')
    expect(r.notes.join()).toMatch(/no prebuilt binary/)
    expect(lines.join('\n')).toMatch(/Compiling it instead/)
    expect(fs.readFileSync(r.file, 'utf8')).toContain('compiled by node-gyp')
  })

  it('refuses a prebuild for the wrong OS and compiles instead', async () => {
    const out = tmpDir('out')
    const wrong = path.join(tmpDir('pre'), 'better_sqlite3.node')
    fs.writeFileSync(wrong, fakeAddon(process.platform === 'win32' ? 'linux' : 'win32', 'wrong OS'))
    const compiled = path.join(tmpDir('gyp'), 'better_sqlite3.node')
    fs.writeFileSync(compiled, fakeAddon(process.platform, 'compiled'))
    const r = await resolveElectronSqlite({
      root: ROOT,
      outRoot: out,
      ...electron,
      steps: { prebuild: async () => wrong, compile: async () => compiled },
      log: () => {},
    })
    expect(r.source).toBe('compiled')
    expect(r.notes.join()).toMatch(/not a .* library/)
  })

  it('ends in one line saying what to install on this OS when compiling fails', async () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const err = await resolveElectronSqlite({
        root: ROOT,
        outRoot: tmpDir('out'),
        ...electron,
        platform,
        arch: 'x64',
        host: { platform, arch: 'x64' },
        steps: {
          prebuild: async () => {
            throw new Error('No prebuilt binaries found')
          },
          compile: async () => {
            throw new Error('gyp ERR! find Python')
          },
        },
        log: () => {},
      }).catch((e: Error) => e)
      expect(err).toBeInstanceOf(Error)
      const message = (err as Error).message
      expect(message.split('\n')).toHaveLength(1)
      expect(message).toContain('gyp ERR! find Python')
      expect(message).toContain(compilerHint(platform))
    }
    expect(compilerHint('win32')).toMatch(/Visual Studio Build Tools.*Python 3/)
    expect(compilerHint('darwin')).toMatch(/xcode-select --install/)
    expect(compilerHint('linux')).toMatch(/build-essential python3/)
  })

  it("says the network, not the compiler, when Electron's headers could not be downloaded", () => {
    const offline = new CompileFailure(
      'node-gyp exited with 1',
      'gyp http GET https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz\n' +
        'gyp ERR! stack Error: This is most likely not a problem with node-gyp ... related to network connectivity.',
    )
    expect(compileFailureMessage('better-sqlite3', offline, 'win32')).toMatch(
      /headers could not be downloaded/,
    )
    expect(compileFailureMessage('better-sqlite3', offline, 'win32')).not.toContain('Visual Studio')
    const noPython = new CompileFailure('node-gyp exited with 1', 'gyp ERR! find Python Python is not set')
    expect(compileFailureMessage('better-sqlite3', noPython, 'win32')).toContain(compilerHint('win32'))
  })

  it('does not try to compile for another platform', async () => {
    const compile = vi.fn(noCompile)
    const err = await resolveElectronSqlite({
      root: ROOT,
      outRoot: tmpDir('out'),
      ...electron,
      platform: 'darwin',
      arch: 'arm64',
      host: { platform: 'linux', arch: 'x64' },
      steps: {
        prebuild: async () => {
          throw new Error('No prebuilt binaries found')
        },
        compile,
      },
      log: () => {},
    }).catch((e: Error) => e)
    expect(compile).not.toHaveBeenCalled()
    expect((err as Error).message).toMatch(/cannot be compiled on linux-x64.*darwin-arm64/)
  })

  it('keeps a copy made for this Electron, and replaces it when Electron changes', async () => {
    const out = tmpDir('out')
    const file = path.join(tmpDir('pre'), 'better_sqlite3.node')
    fs.writeFileSync(file, fakeAddon(process.platform, 'v1'))
    const prebuild = vi.fn(async () => file)
    const base = {
      root: ROOT,
      outRoot: out,
      abi: '150',
      steps: { prebuild, compile: noCompile },
      log: () => {},
    }
    expect((await resolveElectronSqlite({ ...base, electronVersion: '45.5.0' })).source).toBe('prebuild')
    expect((await resolveElectronSqlite({ ...base, electronVersion: '45.5.0' })).source).toBe('already there')
    expect(prebuild).toHaveBeenCalledTimes(1)
    expect((await resolveElectronSqlite({ ...base, electronVersion: '45.6.0' })).source).toBe('prebuild')
    expect(prebuild).toHaveBeenCalledTimes(2)
  })

  it('recognises shared libraries by their magic bytes', () => {
    expect(looksLikeAddonFor(Buffer.from('\x7fELF\x02', 'latin1'), 'linux')).toBe(true)
    expect(looksLikeAddonFor(Buffer.from('MZ\x90\x00', 'latin1'), 'win32')).toBe(true)
    expect(looksLikeAddonFor(Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), 'darwin')).toBe(true)
    expect(looksLikeAddonFor(Buffer.from([0xca, 0xfe, 0xba, 0xbe]), 'darwin')).toBe(true)
    expect(looksLikeAddonFor(Buffer.from('\x7fELF\x02', 'latin1'), 'darwin')).toBe(false)
    expect(looksLikeAddonFor(Buffer.from('<html>', 'latin1'), 'linux')).toBe(false)
  })
})
