import fs from 'node:fs'
import path from 'node:path'
import { app, BrowserWindow, dialog, Menu, screen, shell, type MenuItemConstructorOptions } from 'electron'
import { dispatch } from '../core/api/dispatch'
import type { createHandlers } from '../core/api/handlers'
import type { Session } from '../core/api/session'
import { menuTemplate, type MainCommand, type MenuSpec } from './menuTemplate'
import { openRequest } from './launchArgs'
import { restoreWindowBounds, type StoredWindow } from './windowBounds'

// The desktop's habits, wired to Electron: the menu, the remembered window place, paths from the OS. The
// decisions are the pure functions beside this file (menuTemplate, windowBounds, launchArgs), tested in
// tests/unit/desktop; this file only hands their answers to Electron.

interface Shell {
  session: Session
  handlers: ReturnType<typeof createHandlers>
  logs: string
  windowStateFile: string
  about: () => void
}

function toElectron(spec: MenuSpec, s: Shell): MenuItemConstructorOptions {
  const { send, main, submenu, ...rest } = spec
  const item = { ...rest } as MenuItemConstructorOptions
  if (submenu) item.submenu = submenu.map((m) => toElectron(m, s))
  if (send) item.click = () => s.session.emit({ type: 'menu', command: send })
  if (main) item.click = () => runMain(main, s)
  return item
}

function runMain(c: MainCommand, s: Shell): void {
  if (c.type === 'openProject') void openPath(c.dir, s)
  else if (c.type === 'revealLogs') void shell.openPath(s.logs)
  else s.about()
}

/** Builds the menu again (recent projects and what needs a project change with the project). */
export function installMenu(s: Shell): void {
  const spec = menuTemplate(process.platform, {
    appName: app.getName(),
    recent: s.session.recentProjects().map((r) => ({ name: r.name, dir: r.dir })),
    projectOpen: s.session.current != null,
    packaged: app.isPackaged,
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(spec.map((m) => toElectron(m, s))))
}

/** A project folder or a slide handed over by the OS (double-click, "Open with", a second launch). */
export async function openPath(file: string, s: Shell): Promise<void> {
  let request
  try {
    request = openRequest(file, fs.statSync(file).isDirectory())
  } catch {
    request = null
  }
  const fail = (message: string) =>
    dialog.showErrorBox('S4MI Studio cannot open this', `${file}\n\n${message}`)
  if (!request) return fail('Open a project folder, or a slide or image (.svs, .ndpi, .tif, .tiff).')
  if (request.kind === 'project') {
    // The user chose this folder in the OS, as in the app's own folder dialog.
    s.session.roots.add(request.path)
    const r = await dispatch(s.handlers, 'project.open', { dir: request.path })
    if (!r.ok) fail(r.error.message)
    return
  }
  if (!s.session.current)
    return fail('Open or create a project first, then open the slide again to import it.')
  const r = await dispatch(s.handlers, 'import.start', { path: request.path })
  if (!r.ok) fail(r.error.message)
}

/** The window's place from the last session, checked against today's screens. */
export function windowPlace(file: string, defaults: { width: number; height: number }): StoredWindow {
  let stored: unknown = null
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    // first launch, or an unreadable file: the default place
  }
  const primary = screen.getPrimaryDisplay()
  const others = screen.getAllDisplays().filter((d) => d.id !== primary.id)
  return restoreWindowBounds(
    stored,
    [primary, ...others].map((d) => d.workArea),
    defaults,
  )
}

/** Remembers the window's place when it closes (written whole, then renamed). */
export function rememberPlace(win: BrowserWindow, file: string): void {
  win.on('close', () => {
    const place: StoredWindow = { ...win.getNormalBounds(), maximized: win.isMaximized() }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(place))
      fs.renameSync(`${file}.tmp`, file)
    } catch {
      // not worth stopping the close for
    }
  })
}

/** The first window again, in front: a second launch hands over to it. */
export function focus(win: BrowserWindow | undefined): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
