import path from 'node:path'
import { createRequire } from 'node:module'
import {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session as electronSession,
  shell,
} from 'electron'
import { dispatch } from '../core/api/dispatch'
import { createHandlers } from '../core/api/handlers'
import { Session } from '../core/api/session'
import { logSessionEvents } from '../core/api/sessionLog'
import { appFolders } from '../core/appFolders'
import { appLog, openAppLog } from '../core/appLog'
import { electronSqliteBinding } from './sqliteBinding'
import { packagedWasmDir } from './packagedPaths'
import { assertSecure, hardenSession, secureWebPreferences } from './security'
import { appSchemePrivileges, APP_SCHEME, bundleResponse } from './appProtocol'
import { rendererEntry } from './rendererEntry'
import { trustedSender } from './ipcSender'
import { utilityLauncher } from './utilityLauncher'
import { gpuWindowLauncher } from './gpuWindowLauncher'
import { gpuFirstLauncher } from '../core/train/gpuFirstLauncher'
import { desktopGpuReport } from './gpuAdapters'
import { electronDialog } from './electronDialog'
import { focus, installMenu, openPath, rememberPlace, windowPlace } from './desktopShell'
import { pathFromArgv } from './launchArgs'
import { aboutText } from './aboutText'
import { smokeNote, smokeQuitAfter } from './smokeReport'

// The app's pages come from app:// (only the built bundle); blobs (images, tiles, masks) load by URL through
// s4mi-blob:// instead of crossing IPC as bytes.
protocol.registerSchemesAsPrivileged([
  appSchemePrivileges,
  { scheme: 's4mi-blob', privileges: { standard: true, secure: true, supportFetchAPI: true } },
])
// An installed app ignores ELECTRON_RENDERER_URL; a checkout follows it only to a dev server on this machine.
const entry = rendererEntry({ packaged: app.isPackaged, env: process.env })
const rendererDir = path.join(__dirname, '../renderer')

// The same folders as serve mode and the CLI; Electron's own paths are pointed at them before anything uses them.
const folders = appFolders({ documents: app.getPath('documents') })
app.setPath('userData', folders.data)
app.setPath('crashDumps', folders.crashDumps)
// One app at a time (the lock lives in userData, so after setPath): a second launch hands its path to the
// first ('second-instance' below) and ends here.
if (!app.requestSingleInstanceLock()) {
  smokeNote('second launch handed over')
  app.exit(0)
}
app.setAppLogsPath(folders.logs)
// Crash reports stay on this machine, in crashDumps; nothing is ever uploaded.
crashReporter.start({ uploadToServer: false })
// main.log: this line, what ends badly, session events and every incident id the API hands out (appLog).
openAppLog(folders.logs, 'main', { echo: false })
appLog(
  `S4MI Studio ${app.getVersion()} starting: Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}, ${process.platform}-${process.arch}`,
)
// What ends badly is worth a line: a crashed window or training process, a job that failed.
app.on('render-process-gone', (_e, _contents, details) => appLog(`window process gone: ${details.reason}`))
app.on('child-process-gone', (_e, details) =>
  appLog(`${details.serviceName ?? details.type} process gone: ${details.reason} (exit ${details.exitCode})`),
)
// Training workers (utility processes) inherit it, so they read the same weights cache.
process.env.S4MI_HOME = folders.data
// better-sqlite3 built for Electron's ABI (the training workers inherit the variable).
process.env.S4MI_SQLITE_BINDING ??= electronSqliteBinding({
  packaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  mainDir: __dirname,
  platform: process.platform,
  arch: process.arch,
})
// tfjs's wasm binaries, unpacked beside the asar in an installed app (the training workers inherit it).
const wasmDir = packagedWasmDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath })
if (wasmDir) process.env.S4MI_WASM_DIR ??= wasmDir

const session: Session = new Session({
  dataDir: folders.data,
  version: app.getVersion(),
  transport: 'ipc',
  defaultProjectsDir: folders.projects,
  // With a hardware GPU adapter, a run starts in the hidden GPU training window (WebGPU, else WebGL2); when
  // that window cannot train, the utility process takes the same job and records the window's reasons.
  launchWorker: gpuFirstLauncher(
    gpuWindowLauncher,
    utilityLauncher,
    (): boolean => session.gpu?.hardware === true,
  ),
  nativeDialog: electronDialog,
})
const handlers = createHandlers(session)

const shellParts = {
  session,
  handlers,
  logs: folders.logs,
  windowStateFile: path.join(folders.data, 'window-state.json'),
  about: () => {
    const tfjs = createRequire(__filename)('@tensorflow/tfjs/package.json') as { version: string }
    const text = aboutText(
      app.getName(),
      {
        app: app.getVersion(),
        electron: process.versions.electron ?? '',
        chromium: process.versions.chrome ?? '',
        node: process.versions.node,
        tfjs: tfjs.version,
      },
      session.backend,
    )
    void dialog.showMessageBox({ type: 'info', title: `About ${app.getName()}`, ...text })
  },
}
// A path the app was launched with (a project folder, a slide), or handed by macOS before the window exists.
let pendingOpen = pathFromArgv(process.argv, { packaged: app.isPackaged, cwd: process.cwd() })
let ready = false
app.on('open-file', (event, file) => {
  event.preventDefault()
  if (ready) void openPath(file, shellParts)
  else pendingOpen = file
})
app.on('second-instance', (_event, argv, workingDirectory) => {
  focus(BrowserWindow.getAllWindows()[0])
  const file = pathFromArgv(argv, { packaged: app.isPackaged, cwd: workingDirectory })
  smokeNote(`second instance: ${file ?? 'no path'}`)
  if (file) void openPath(file, shellParts)
})

function createWindow(): BrowserWindow {
  assertSecure(secureWebPreferences)
  const place = windowPlace(shellParts.windowStateFile, { width: 1400, height: 900 })
  const win = new BrowserWindow({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    show: false,
    title: 'S4MI Studio',
    webPreferences: { ...secureWebPreferences, preload: path.join(__dirname, '../preload/index.js') },
  })
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize()
    win.show()
    smokeNote('window shown')
    const quitAfter = smokeQuitAfter()
    if (quitAfter != null) setTimeout(() => app.quit(), quitAfter)
  })
  rememberPlace(win, shellParts.windowStateFile)
  void win.loadURL(entry.url)
  const off = session.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send('s4mi:event', event)
  })
  win.on('closed', off)
  return win
}

void app.whenReady().then(() => {
  hardenSession(
    { session: electronSession.defaultSession, app, openExternal: (url) => shell.openExternal(url) },
    entry.origins,
    entry.dev,
  )
  protocol.handle(APP_SCHEME, (request) => bundleResponse(rendererDir, request.url))
  protocol.handle('s4mi-blob', (request) => {
    const hash = new URL(request.url).hostname
    const project = session.current
    if (!project || !/^[0-9a-f]{64}$/.test(hash) || !project.blobs.has(hash))
      return new Response('No such blob', { status: 404 })
    return new Response(project.blobs.get(hash), {
      headers: { 'cache-control': 'private, max-age=31536000, immutable' },
    })
  })
  // One channel for the whole contract: dispatch validates the method name and its input schema.
  // Answered only for the app's own top-level page (checklist item 17).
  ipcMain.handle('s4mi:invoke', (event, method: unknown, input: unknown) => {
    if (!trustedSender(event.senderFrame, entry.origins))
      return { ok: false, error: { message: 'Refused: the message did not come from the app' } }
    return dispatch(handlers, String(method), input)
  })
  createWindow()
  installMenu(shellParts)
  smokeNote(
    `menu: ${(Menu.getApplicationMenu()?.items ?? []).map((i) => i.label.replace('&', '')).join(', ')}`,
  )
  logSessionEvents(session)
  // Recent projects and what needs a project change the menu.
  session.onEvent((e) => {
    if (e.type === 'project' && (e.change === 'opened' || e.change === 'closed')) installMenu(shellParts)
  })
  ready = true
  if (pendingOpen) void openPath(pendingOpen, shellParts)
  // The chain each run records: Chromium's WebGPU/WebGL2 adapters first, then the backend probe.
  void desktopGpuReport()
    .catch(() => undefined)
    .then((gpu) => {
      session.gpu = gpu
      return session.detectBackend()
    })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('before-quit', () => session.close())
