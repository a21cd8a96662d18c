import { describe, expect, it } from 'vitest'
import { menuTemplate, type MenuSpec, type MenuState } from '../../../src/main/menuTemplate'
import { viewerMenuItems } from '../../../src/shared/menuCommands'

const state: MenuState = {
  appName: 'S4MI Studio',
  recent: [
    { name: 'Skin', dir: '/data/skin' },
    { name: 'Colon', dir: '/data/colon' },
  ],
  projectOpen: true,
  packaged: true,
}
const platforms = ['darwin', 'win32', 'linux'] as const

function items(menu: MenuSpec[]): MenuSpec[] {
  return menu.flatMap((m) => [m, ...items(m.submenu ?? [])])
}
const top = (menu: MenuSpec[]) => menu.map((m) => (m.label ?? '').replace('&', ''))
const find = (menu: MenuSpec[], label: string) => items(menu).find((m) => m.label === label)
const byRole = (menu: MenuSpec[], role: string) => items(menu).filter((m) => m.role === role)

describe('the app menu follows each OS', () => {
  it('has the standard menus in the platform order', () => {
    expect(top(menuTemplate('darwin', state))).toEqual([
      'S4MI Studio',
      'File',
      'Edit',
      'View',
      'Window',
      'Help',
    ])
    expect(top(menuTemplate('win32', state))).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(top(menuTemplate('linux', state))).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
  })

  it('puts About and Quit where each OS has them', () => {
    const mac = menuTemplate('darwin', state)
    expect(mac[0].submenu!.map((m) => m.role ?? m.label)).toEqual(
      expect.arrayContaining(['About S4MI Studio', 'services', 'hide', 'quit']),
    )
    expect(byRole(mac, 'quit')).toEqual([{ role: 'quit', accelerator: 'Command+Q' }])
    expect(mac[5].submenu!.some((m) => m.main?.type === 'about')).toBe(false)
    expect(byRole(mac, 'front')).toHaveLength(1)
    const win = menuTemplate('win32', state)
    expect(win[0].submenu!.at(-1)).toMatchObject({ role: 'quit', accelerator: 'Alt+F4' })
    expect(menuTemplate('linux', state)[0].submenu!.at(-1)).toMatchObject({
      role: 'quit',
      accelerator: 'Ctrl+Q',
    })
    for (const p of ['win32', 'linux'] as const) {
      const menu = menuTemplate(p, state)
      expect(menu[4].submenu!.some((m) => m.main?.type === 'about')).toBe(true)
      expect(byRole(menu, 'front')).toHaveLength(0)
    }
  })

  it('uses each OS accelerator for redo and full screen, and CmdOrCtrl for the rest', () => {
    const redo = (p: NodeJS.Platform) => find(menuTemplate(p, state), 'Redo')!.accelerator
    expect(redo('darwin')).toBe('Shift+CmdOrCtrl+Z')
    expect(redo('win32')).toBe('Ctrl+Y')
    expect(redo('linux')).toBe('Ctrl+Shift+Z')
    const full = (p: NodeJS.Platform) => byRole(menuTemplate(p, state), 'togglefullscreen')[0].accelerator
    expect(full('darwin')).toBe('Ctrl+Command+F')
    expect(full('win32')).toBe('F11')
    for (const p of platforms) {
      const menu = menuTemplate(p, state)
      expect(find(menu, 'New Project…')!.accelerator).toBe('CmdOrCtrl+N')
      expect(find(menu, 'Open Project…')!.accelerator).toBe('CmdOrCtrl+O')
      const accelerators = items(menu).flatMap((m) => (m.accelerator ? [m.accelerator] : []))
      expect(new Set(accelerators).size, `no accelerator twice on ${p}`).toBe(accelerators.length)
      for (const label of ['File', 'Edit', 'View', 'Window', 'Help'])
        expect(menu.some((m) => m.label === (p === 'darwin' ? label : `&${label}`))).toBe(true)
    }
  })

  it('sends the viewer actions of viewerMenuItems (checked against the registry in the renderer)', () => {
    for (const p of platforms) {
      const sent = items(menuTemplate(p, state)).filter((m) => m.send?.type === 'action')
      expect(sent.map((m) => m.send)).toEqual(
        viewerMenuItems(p).map((i) => ({ type: 'action', name: i.action })),
      )
    }
  })

  it('lists recent projects, and disables what needs a project', () => {
    const menu = menuTemplate('linux', state)
    const recent = find(menu, 'Open Recent')!.submenu!
    expect(recent.map((m) => m.main)).toEqual([
      { type: 'openProject', dir: '/data/skin' },
      { type: 'openProject', dir: '/data/colon' },
    ])
    const none = menuTemplate('linux', { ...state, recent: [], projectOpen: false })
    expect(find(none, 'Open Recent')!.submenu).toEqual([{ label: 'No recent projects', enabled: false }])
    expect(find(none, 'Import Images…')!.enabled).toBe(false)
    expect(find(menu, 'Import Images…')!.send).toEqual({ type: 'dialog', dialog: 'import' })
    expect(find(menu, 'Reveal Logs')!.main).toEqual({ type: 'revealLogs' })
    expect(byRole(menu, 'toggleDevTools')).toHaveLength(0)
    expect(byRole(menuTemplate('linux', { ...state, packaged: false }), 'toggleDevTools')).toHaveLength(1)
  })
})
