import { viewerMenuItems, type MenuCommand } from '../shared/menuCommands'

/** What the main process itself does for a menu item. */
export type MainCommand = { type: 'openProject'; dir: string } | { type: 'revealLogs' } | { type: 'about' }

/**
 * One menu item as plain data (Electron's MenuItemConstructorOptions, minus the click): `send` goes to the
 * window on the event stream, `main` is done by the main process, `role` is Electron's own.
 */
export interface MenuSpec {
  label?: string
  role?: string
  type?: 'separator' | 'submenu'
  accelerator?: string
  enabled?: boolean
  submenu?: MenuSpec[]
  send?: MenuCommand
  main?: MainCommand
}

export interface MenuState {
  appName: string
  /** Most recent first (the app's recent projects). */
  recent: { name: string; dir: string }[]
  projectOpen: boolean
  /** A checkout (npm start / dev) also gets the developer tools. */
  packaged: boolean
}

const separator: MenuSpec = { type: 'separator' }
/** The viewer actions this menu carries, in the registry's names (src/shared/menuCommands.ts). */
function viewerItems(platform: NodeJS.Platform, menu: 'edit' | 'view' | 'help'): MenuSpec[] {
  return viewerMenuItems(platform)
    .filter((i) => i.menu === menu)
    .map((i) => ({
      label: i.label,
      send: { type: 'action', name: i.action },
      ...(i.accelerator ? { accelerator: i.accelerator } : {}),
    }))
}

/**
 * The app menu for one OS, following each platform's habits: on macOS the app menu (About, Services, Hide,
 * Quit ⌘Q) and Window's "Bring All to Front"; on Windows and Linux Exit in File and About in Help; redo is
 * ⇧⌘Z on macOS, Ctrl+Y on Windows, Ctrl+Shift+Z on Linux; full screen ⌃⌘F on macOS, F11 elsewhere.
 * Viewer commands (undo, fit, zoom) come from viewerMenuItems, in the viewer registry's action names.
 */
export function menuTemplate(platform: NodeJS.Platform, state: MenuState): MenuSpec[] {
  const mac = platform === 'darwin'
  const about: MenuSpec = { label: `About ${state.appName}`, main: { type: 'about' } }
  const recent: MenuSpec[] = state.recent.length
    ? state.recent.map((p) => ({ label: `${p.name} — ${p.dir}`, main: { type: 'openProject', dir: p.dir } }))
    : [{ label: 'No recent projects', enabled: false }]

  const file: MenuSpec = {
    label: mac ? 'File' : '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', send: { type: 'dialog', dialog: 'create' } },
      { label: 'New Demo Project…', send: { type: 'dialog', dialog: 'demo' } },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', send: { type: 'dialog', dialog: 'open' } },
      { label: 'Open Recent', type: 'submenu', submenu: recent },
      separator,
      {
        label: 'Import Images…',
        accelerator: 'CmdOrCtrl+I',
        enabled: state.projectOpen,
        send: { type: 'dialog', dialog: 'import' },
      },
      {
        label: 'Export Results…',
        accelerator: 'CmdOrCtrl+E',
        enabled: state.projectOpen,
        send: { type: 'navigate', view: 'results' },
      },
      separator,
      mac
        ? { role: 'close' }
        : { role: 'quit', label: 'E&xit', accelerator: platform === 'win32' ? 'Alt+F4' : 'Ctrl+Q' },
    ],
  }
  const edit: MenuSpec = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      ...viewerItems(platform, 'edit'),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  }
  const view: MenuSpec = {
    label: mac ? 'View' : '&View',
    submenu: [
      ...viewerItems(platform, 'view'),
      separator,
      { role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { role: 'zoomIn', accelerator: 'CmdOrCtrl+Plus' },
      { role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      separator,
      { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Command+F' : 'F11' },
      ...(state.packaged
        ? []
        : [
            separator,
            { role: 'reload' },
            { role: 'toggleDevTools', accelerator: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I' },
          ]),
    ],
  }
  const window: MenuSpec = {
    label: mac ? 'Window' : '&Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close', accelerator: 'Ctrl+W' }],
  }
  const help: MenuSpec = {
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: [
      ...viewerItems(platform, 'help'),
      { label: 'Reveal Logs', main: { type: 'revealLogs' } },
      ...(mac ? [] : [separator, about]),
    ],
  }
  const appMenu: MenuSpec = {
    label: state.appName,
    submenu: [
      about,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit', accelerator: 'Command+Q' },
    ],
  }
  return mac ? [appMenu, file, edit, view, window, help] : [file, edit, view, window, help]
}
