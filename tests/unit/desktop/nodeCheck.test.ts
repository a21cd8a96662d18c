import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import semver from 'semver'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  downloadElectronBinary,
  electronInstall,
  electronVersionProblem,
} from '../../../scripts/desktop/electronInstall.mjs'
import {
  minimumNode,
  nodeProblem,
  requirementsFor,
  shortVersion,
  unmetRequirements,
} from '../../../scripts/desktop/nodeRequirements.mjs'
import { prepareDesktop } from '../../../scripts/desktop/prepareDesktop.mjs'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const tmp: string[] = []
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const need = (which: 'core' | 'desktop' | 'packaging') =>
  minimumNode(requirementsFor(ROOT, which).map((r) => r.range)) as string

describe('which Node each path needs', () => {
  it('finds the lowest version that satisfies every declared range', () => {
    expect(minimumNode(['^20.19.0 || >=22.12.0', '>= 22.12.0', '20.x || 22.x || 24.x'])).toBe('22.12.0')
    expect(minimumNode(['^20.19.0 || >=22.12.0', '>=20.9.0', '^20.0.0 || ^22.0.0 || >=24.0.0'])).toBe(
      '20.19.0',
    )
    expect(minimumNode(['^18.0.0', '>=20'])).toBeNull()
  })

  it('reads the ranges from the installed tools: Electron 45 sets the desktop path apart', () => {
    const desktop = requirementsFor(ROOT, 'desktop')
    expect(desktop.map((r) => r.name)).toContain('electron')
    expect(semver.gte(need('desktop'), need('core'))).toBe(true)
    // A Node that runs the CLI and tests but not Electron's tooling gets the message, not a build error.
    const between = unmetRequirements(need('core'), desktop)
    if (semver.gt(need('desktop'), need('core'))) expect(between.length).toBeGreaterThan(0)
    expect(unmetRequirements(need('desktop'), desktop)).toEqual([])
  })

  it("says in package.json's engines and the README's quick start what each path needs", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(need('core'))
    // engines admits nothing the tools refuse: every version line it allows satisfies each tool's minimum.
    for (const r of requirementsFor(ROOT, 'core'))
      expect(semver.satisfies(need('core'), r.range), `${r.name} ${r.range}`).toBe(true)
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Other ways in'))
    const start = quickStart.split('\n').find((l) => l.startsWith('npm start'))
    expect(start).toContain(`Node ${shortVersion(need('desktop'))}+`)
    expect(quickStart).toContain(`The CLI, serve mode and the tests: Node ${shortVersion(need('core'))}+`)
    expect(quickStart).toContain(`The desktop app (\`npm start\``)
    expect(quickStart).toContain(`Node ${shortVersion(need('desktop'))}+`)
  })

  it('explains an old Node in words: what needs what, what to install, what still works', () => {
    const msg = nodeProblem(
      '20.20.2',
      'desktop',
      [{ name: 'electron', version: '45.5.0', range: '>= 22.12.0' }],
      '20.19.0',
    )
    expect(msg).toContain('needs Node 22.12 or newer; this is Node 20.20.2')
    expect(msg).toContain('electron 45.5.0 requires Node >= 22.12.0')
    expect(msg).toContain('nvm install 22')
    expect(msg).toContain('serve mode (npm run serve) and the tests run on this Node')
    expect(
      nodeProblem('22.12.0', 'desktop', [{ name: 'electron', version: '45.5.0', range: '>= 22.12.0' }]),
    ).toBe(null)
  })
})

function fakeElectron(opts: { version: string; dist?: string; pathTxt?: string; binary?: boolean }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-electron-'))
  tmp.push(root)
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ devDependencies: { electron: '^45.5.0' } }),
  )
  const dir = path.join(root, 'node_modules', 'electron')
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: opts.version }))
  fs.writeFileSync(path.join(dir, 'abi_version'), '150')
  if (opts.dist) fs.writeFileSync(path.join(dir, 'dist', 'version'), opts.dist)
  if (opts.pathTxt) fs.writeFileSync(path.join(dir, 'path.txt'), opts.pathTxt)
  if (opts.binary) fs.writeFileSync(path.join(dir, 'dist', 'electron'), '')
  return root
}

describe('the Electron that package.json names, and its binary', () => {
  it('knows whether the binary was downloaded, without requiring electron (that would download it)', () => {
    const ready = fakeElectron({ version: '45.5.0', dist: 'v45.5.0', pathTxt: 'electron', binary: true })
    expect(electronInstall(ready, { platform: 'linux', env: {} })).toMatchObject({
      version: '45.5.0',
      wanted: '^45.5.0',
      abi: '150',
      binaryPresent: true,
    })
    const none = fakeElectron({ version: '45.5.0' })
    expect(electronInstall(none, { platform: 'linux', env: {} }).binaryPresent).toBe(false)
    const stale = fakeElectron({ version: '45.5.0', dist: 'v44.0.0', pathTxt: 'electron', binary: true })
    expect(electronInstall(stale, { platform: 'linux', env: {} }).binaryPresent).toBe(false)
  })

  it('stops on an Electron other than the one package.json asks for', () => {
    const old = fakeElectron({ version: '44.1.0' })
    expect(electronVersionProblem(electronInstall(old, { env: {} }))).toMatch(
      /has Electron 44.1.0 but package.json asks for \^45.5.0. Run npm install/,
    )
    expect(
      electronVersionProblem(electronInstall(fakeElectron({ version: '45.6.1' }), { env: {} })),
    ).toBeNull()
  })

  it("downloads the binary with Electron's own installer, and says what to check when it cannot", () => {
    const root = fakeElectron({ version: '45.5.0' })
    const e = electronInstall(root, { env: {} })
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const ran: string[] = []
    expect(downloadElectronBinary(root, e, (f) => (ran.push(f), { status: 0 }))).toBeNull()
    expect(ran).toEqual([path.join(root, 'node_modules', 'electron', 'install.js')])
    const failed = downloadElectronBinary(root, e, () => ({ status: 1, error: new Error('fetch failed') }))
    expect(failed).toMatch(/could not download Electron 45.5.0 \(fetch failed\)/)
    expect(failed).toMatch(/HTTPS_PROXY.*ELECTRON_MIRROR/)
    log.mockRestore()
  })
})

describe('npm start checks before it builds', () => {
  const quiet = { log: () => {}, error: () => {} }

  it('stops with the message on a Node too old for the desktop app, before touching Electron', async () => {
    const errors: string[] = []
    const download = vi.fn(() => null)
    const resolveSqlite = vi.fn()
    const code = await prepareDesktop({
      root: ROOT,
      purpose: 'desktop',
      nodeVersion: '20.19.0',
      env: {},
      download,
      resolveSqlite,
      ...quiet,
      error: (l) => errors.push(l),
    })
    expect(code).toBe(1)
    expect(errors.join('\n')).toContain(`needs Node ${shortVersion(need('desktop'))} or newer`)
    expect(download).not.toHaveBeenCalled()
    expect(resolveSqlite).not.toHaveBeenCalled()
  })

  it('on a Node that fits: downloads a missing Electron binary, then gets better-sqlite3 for it', async () => {
    // ELECTRON_OVERRIDE_DIST_PATH pointing nowhere: the binary counts as missing on any machine.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-no-electron-'))
    tmp.push(root)
    const calls: string[] = []
    const code = await prepareDesktop({
      root: ROOT,
      purpose: 'desktop',
      nodeVersion: need('desktop'),
      env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'nowhere') },
      download: () => (calls.push('download'), null),
      resolveSqlite: async (o) => {
        calls.push(`sqlite for electron ${o.electronVersion} abi ${o.abi}`)
        return { file: '', source: 'prebuild', notes: [] }
      },
      ...quiet,
    })
    const electron = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
    )
    expect(code).toBe(0)
    expect(calls).toEqual(['download', `sqlite for electron ${electron.version} abi 150`])
  })

  it('passes the one-line compiler message through and fails', async () => {
    const errors: string[] = []
    const code = await prepareDesktop({
      root: ROOT,
      purpose: 'desktop',
      nodeVersion: need('desktop'),
      env: {},
      download: () => null,
      resolveSqlite: async () => {
        throw new Error('S4MI Studio: could not compile better-sqlite3 … To compile it, install …')
      },
      ...quiet,
      error: (l) => errors.push(l),
    })
    expect(code).toBe(1)
    expect(errors).toEqual(['S4MI Studio: could not compile better-sqlite3 … To compile it, install …'])
  })

  it('runs as `npm start` does: on this machine it either stops clearly or goes on', () => {
    const r = spawnSync(process.execPath, ['scripts/desktop/prepareDesktop.mjs', 'package'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    if (semver.satisfies(process.versions.node, `>=${need('packaging')}`)) expect(r.status).toBe(0)
    else {
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `building installers (npm run package) needs Node ${shortVersion(need('packaging'))}`,
      )
    }
  })
})
