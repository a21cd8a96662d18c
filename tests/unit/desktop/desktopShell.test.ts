// The real main process (src/main/index.ts) against the fake `electron` module: the menu it installs, the
// window place it restores and the hand-over from a second launch.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { makeReady, resetFakeElectron, state } from './fakeElectron'

vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectron)

const home = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-shell-'))
const savedEnv = { ...process.env }
afterAll(() => {
  process.env = savedEnv
  fs.rmSync(home, { recursive: true, force: true })
})

describe('the desktop shell, wired', () => {
  beforeAll(async () => {
    vi.resetModules()
    resetFakeElectron({ packaged: true, home })
    process.env = { ...savedEnv, S4MI_HOME: path.join(home, 'data') }
    Object.assign(process, { resourcesPath: path.join(home, 'resources') })
    fs.mkdirSync(path.join(home, 'data'), { recursive: true })
    // Last session's window, on a monitor that is gone now.
    fs.writeFileSync(
      path.join(home, 'data', 'window-state.json'),
      JSON.stringify({ x: 2500, y: 100, width: 1200, height: 800 }),
    )
    await import('../../../src/main/index')
    makeReady()
    await vi.waitFor(() => expect(state.menu).not.toBeNull())
  })

  it('installs the platform menu, with menu items that reach the window', () => {
    const labels = (state.menu as { label: string }[]).map((m) => m.label.replace('&', ''))
    expect(labels).toEqual(
      process.platform === 'darwin'
        ? ['S4MI Studio', 'File', 'Edit', 'View', 'Window', 'Help']
        : ['File', 'Edit', 'View', 'Window', 'Help'],
    )
    const file = (state.menu as { label: string; submenu: { label?: string; click?: () => void }[] }[]).find(
      (m) => m.label.replace('&', '') === 'File',
    )!
    file.submenu.find((m) => m.label === 'Open Project…')!.click!()
    expect(state.windows[0].webContents.sent).toContainEqual([
      's4mi:event',
      { type: 'menu', command: { type: 'dialog', dialog: 'open' } },
    ])
  })

  it('opens the window on a screen that exists, at its remembered size', () => {
    expect(state.windows[0].options).toMatchObject({ x: 360, y: 120, width: 1200, height: 800 })
  })

  it('keeps crash reports local and writes its log in the logs folder', () => {
    expect(state.crashReporter).toEqual({ uploadToServer: false })
    const text = fs.readFileSync(path.join(home, 'data', 'logs', 'main.log'), 'utf8')
    expect(text).toMatch(/S4MI Studio 0\.0\.0-test starting: Electron/)
  })

  it('a second launch focuses the first window', () => {
    const [onSecond] = state.appListeners.get('second-instance')!
    const before = state.windows[0].focused
    ;(onSecond as (e: unknown, argv: string[], cwd: string) => void)({}, ['s4mi-studio'], home)
    expect(state.windows[0].focused).toBe(before + 1)
  })
})
