// @ts-check
// `npm run test:electron`: the checks only a real Electron can answer, run against the built app (out/):
// it starts, installs its menu and shows its window; a second launch hands its path to the first and ends.
// Where the Electron binary is absent (ELECTRON_SKIP_BINARY_DOWNLOAD, as on the development machines) it says
// so and skips, exit code 0. Everything else about the desktop app is tested in `npm test` with a fake
// electron module (tests/unit/desktop).
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronInstall } from './electronInstall.mjs'
import { prepareDesktop } from './prepareDesktop.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const electron = electronInstall(root)
if (!electron.binaryPresent || !electron.executable) {
  console.log(
    `test:electron: SKIPPED — the Electron binary is not installed (${electron.executable ?? 'node_modules/electron'}). ` +
      'Run `npm start` once on a machine that can download it, then `npm run test:electron` again.',
  )
  process.exit(0)
}
if ((await prepareDesktop({ root, purpose: 'desktop' })) !== 0) process.exit(1)
if (
  spawnSync('npm', ['run', '-s', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  }).status !== 0
)
  process.exit(1)

const work = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-electron-test-'))
const report = path.join(work, 'report.txt')
const projectDir = path.join(work, 'a folder')
fs.mkdirSync(projectDir)
const env = { ...process.env, S4MI_HOME: path.join(work, 'data'), S4MI_ELECTRON_SMOKE: report }
/** @param {string[]} args @param {Record<string, string>} extra */
const launch = (args, extra) =>
  spawn(/** @type {string} */ (electron.executable), [root, ...args], {
    env: { ...env, ...extra },
    stdio: 'inherit',
  })
/** @param {import('node:child_process').ChildProcess} child @param {number} ms */
const exited = (child, ms) =>
  new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill()
      resolve(null)
    }, ms)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
const waitFor = async (/** @type {RegExp} */ re, ms = 30_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250)))
    if (fs.existsSync(report) && re.test(fs.readFileSync(report, 'utf8'))) return true
  return false
}

const failures = []
const first = launch([], { S4MI_ELECTRON_SMOKE_QUIT_MS: '15000' })
if (!(await waitFor(/window shown/))) failures.push('the window was not shown within 30 s')
const menu = /menu: (.*)/.exec(fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '')?.[1] ?? ''
const wantMenu =
  process.platform === 'darwin'
    ? 'S4MI Studio, File, Edit, View, Window, Help'
    : 'File, Edit, View, Window, Help'
if (menu !== wantMenu) failures.push(`menu was "${menu}", expected "${wantMenu}"`)
const second = launch([projectDir], {})
if ((await exited(second, 15_000)) !== 0) failures.push('a second launch did not end by itself with code 0')
if (
  !(await waitFor(
    new RegExp(`second instance: ${projectDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    10_000,
  ))
)
  failures.push('the first instance was not handed the second launch’s path')
first.kill()
await exited(first, 10_000)
fs.rmSync(work, { recursive: true, force: true })
for (const f of failures) console.error(`test:electron: FAILED — ${f}`)
if (!failures.length) console.log('test:electron: passed (start, menu, window, single instance)')
process.exit(failures.length ? 1 : 0)
