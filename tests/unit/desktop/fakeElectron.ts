// A stand-in for the `electron` module that records what the real main process (src/main/index.ts) asks of
// it: window options, protocol handlers, IPC handlers, session handlers, MessagePorts sent to pages, utility
// processes forked. The Electron binary cannot run here, so the checklist tests read these records instead.
import os from 'node:os'
import path from 'node:path'

type Listener = (...args: never[]) => unknown

export interface FakeElectronState {
  packaged: boolean
  home: string
  windows: FakeWindow[]
  appListeners: Map<string, Listener[]>
  ipcHandlers: Map<string, (...args: never[]) => unknown>
  /** ipcMain.on listeners, by channel. */
  ipcListeners: Map<string, Listener[]>
  /** What each session.fromPartition(name) was given. */
  partitions: Map<string, { permissionRequest: unknown; permissionCheck: (() => boolean) | null }>
  protocolHandlers: Map<string, (request: { url: string }) => Response | Promise<Response>>
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[]
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null
  permissionCheck: (() => boolean) | null
  headersReceived:
    | ((
        d: { url: string; responseHeaders?: Record<string, string[] | string> },
        cb: (r: { responseHeaders: Record<string, string[] | string> }) => void,
      ) => void)
    | null
  opened: string[]
  /** What the preload put on `window` (contextBridge.exposeInMainWorld). */
  exposed: Map<string, unknown>
  ipcRendererCalls: unknown[][]
  ready: Promise<void>
  /** The application menu, as given to Menu.buildFromTemplate. */
  menu: unknown[] | null
  crashReporter: Record<string, unknown> | null
  /** Every utilityProcess.fork, in order. */
  forked: FakeUtilityProcess[]
  /** Whether a forked process exits at once with 1 (the app's probes end), or waits for the test to end it. */
  forkedExitAtOnce: boolean
}

let nextContentsId = 1

export class FakeContents {
  readonly id = nextContentsId++
  readonly listeners = new Map<string, Listener[]>()
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null
  readonly sent: unknown[] = []
  /** webContents.postMessage(channel, message, ports): what the page's preload receives, ports included. */
  readonly posted: { channel: string; message: unknown; ports: FakeMessagePort[] }[] = []
  on(event: string, l: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l])
    return this
  }
  once(event: string, l: Listener): this {
    const once = (...args: never[]) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((x) => x !== once),
      )
      return (l as (...a: never[]) => unknown)(...args)
    }
    return this.on(event, once)
  }
  postMessage(channel: string, message: unknown, ports: FakeMessagePort[] = []): void {
    this.posted.push({ channel, message, ports })
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload])
  }
  isDestroyed(): boolean {
    return false
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args)
  }
  /** Fires an event the way Electron does; returns whether a listener called preventDefault. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false
    const e = { preventDefault: () => (prevented = true) }
    for (const l of this.listeners.get(event) ?? [])
      (l as (...a: unknown[]) => void)(
        ...(event === 'will-frame-navigate' ? [{ ...e, url: args[0] }] : [e, ...args]),
      )
    return prevented
  }
}

export class FakeWindow {
  readonly webContents = new FakeContents()
  loadedUrl: string | null = null
  loadedFile: string | null = null
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    state.windows.push(this)
    // Electron emits web-contents-created for every window's contents.
    for (const l of state.appListeners.get('web-contents-created') ?? [])
      (l as (e: unknown, c: FakeContents) => void)({}, this.webContents)
  }
  readonly listeners = new Map<string, Listener[]>()
  destroyed = false
  once(): this {
    return this
  }
  on(event: string, l: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l])
    return this
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
    for (const l of this.listeners.get('closed') ?? []) (l as () => void)()
  }
  focused = 0
  isMinimized(): boolean {
    return false
  }
  restore(): void {}
  show(): void {}
  focus(): void {
    this.focused++
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    return Promise.resolve()
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file
    return Promise.resolve()
  }
  static getAllWindows(): FakeWindow[] {
    return state.windows
  }
  static getFocusedWindow(): FakeWindow | null {
    return state.windows[0] ?? null
  }
}

/**
 * One end of a MessageChannelMain, as Electron's MessagePortMain behaves: messages wait until start(), are
 * delivered to the other end's 'message' listeners as `{ data, ports }`, and close() ends both (the other end
 * hears 'close'). Delivery is synchronous here, so tests need not wait.
 */
export class FakeMessagePort {
  other: FakeMessagePort | null = null
  readonly listeners = new Map<string, ((ev: { data: unknown; ports: FakeMessagePort[] }) => void)[]>()
  /** What was posted from this end, in order. */
  readonly posted: { data: unknown; ports: FakeMessagePort[] }[] = []
  private readonly queue: { data: unknown; ports: FakeMessagePort[] }[] = []
  started = false
  closed = false
  on(event: string, l: (ev: { data: unknown; ports: FakeMessagePort[] }) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l])
    return this
  }
  postMessage(data: unknown, ports: FakeMessagePort[] = []): void {
    if (this.closed) return
    this.posted.push({ data, ports })
    this.other?.receive({ data, ports })
  }
  start(): void {
    this.started = true
    for (const ev of this.queue.splice(0)) this.deliver(ev)
  }
  close(): void {
    if (this.closed) return
    this.closed = true
    const other = this.other
    if (other && !other.closed) {
      other.closed = true
      for (const l of other.listeners.get('close') ?? []) l({ data: undefined, ports: [] })
    }
  }
  private receive(ev: { data: unknown; ports: FakeMessagePort[] }): void {
    if (this.closed) return
    if (this.started) this.deliver(ev)
    else this.queue.push(ev)
  }
  private deliver(ev: { data: unknown; ports: FakeMessagePort[] }): void {
    for (const l of this.listeners.get('message') ?? []) l(ev)
  }
}

export class FakeMessageChannel {
  readonly port1 = new FakeMessagePort()
  readonly port2 = new FakeMessagePort()
  constructor() {
    this.port1.other = this.port2
    this.port2.other = this.port1
  }
}

/** A utilityProcess child: records what it is sent; the test speaks for it with emit('message' | 'exit'). */
export class FakeUtilityProcess {
  readonly posted: { message: unknown; ports: FakeMessagePort[] }[] = []
  readonly listeners = new Map<string, { l: (...a: unknown[]) => void; once: boolean }[]>()
  killed = false
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {}
  postMessage(message: unknown, ports: FakeMessagePort[] = []): void {
    this.posted.push({ message, ports })
  }
  on(event: string, l: (...a: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { l, once: false }])
    return this
  }
  once(event: string, l: (...a: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { l, once: true }])
    return this
  }
  emit(event: string, ...args: unknown[]): void {
    const ls = this.listeners.get(event) ?? []
    this.listeners.set(
      event,
      ls.filter((x) => !x.once),
    )
    for (const { l } of ls) l(...args)
  }
  kill(): boolean {
    this.killed = true
    return true
  }
}

let resolveReady: () => void = () => undefined
// On globalThis so that every copy of this module (vi.resetModules re-imports it) records into one place.
const shared = globalThis as { __s4miFakeElectron?: FakeElectronState }
export const state: FakeElectronState = (shared.__s4miFakeElectron ??= {
  packaged: false,
  home: os.tmpdir(),
  windows: [],
  appListeners: new Map(),
  ipcHandlers: new Map(),
  ipcListeners: new Map(),
  partitions: new Map(),
  protocolHandlers: new Map(),
  privilegedSchemes: [],
  permissionRequest: null,
  permissionCheck: null,
  headersReceived: null,
  opened: [],
  exposed: new Map(),
  ipcRendererCalls: [],
  ready: Promise.resolve(),
  menu: null,
  crashReporter: null,
  forked: [],
  forkedExitAtOnce: true,
})

/** Clears the records before the main process is imported again (vi.resetModules). */
export function resetFakeElectron(opts: { packaged: boolean; home: string }): void {
  Object.assign(state, {
    packaged: opts.packaged,
    home: opts.home,
    windows: [],
    appListeners: new Map(),
    ipcHandlers: new Map(),
    ipcListeners: new Map(),
    partitions: new Map(),
    protocolHandlers: new Map(),
    privilegedSchemes: [],
    permissionRequest: null,
    permissionCheck: null,
    headersReceived: null,
    opened: [],
    exposed: new Map(),
    ipcRendererCalls: [],
    ready: new Promise<void>((r) => (resolveReady = r)),
    menu: null,
    crashReporter: null,
    forked: [],
    forkedExitAtOnce: true,
  })
}

/** Lets `app.whenReady()` resolve, as Electron does once it has started. */
export function makeReady(): void {
  resolveReady()
}

export const fakeElectron = {
  app: {
    get isPackaged() {
      return state.packaged
    },
    getPath: (name: string) => path.join(state.home, name),
    setPath: () => undefined,
    setAppLogsPath: () => undefined,
    getVersion: () => '0.0.0-test',
    whenReady: () => state.ready,
    on(event: string, l: Listener) {
      state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), l])
      return this
    },
    quit: () => undefined,
    exit: () => undefined,
    getName: () => 'S4MI Studio',
    requestSingleInstanceLock: () => true,
    getGPUFeatureStatus: () => ({}),
    getGPUInfo: () => Promise.reject(new Error('no GPU process in tests')),
  },
  BrowserWindow: FakeWindow,
  crashReporter: {
    start: (options: Record<string, unknown>) => (state.crashReporter = options),
  },
  Menu: {
    buildFromTemplate: (template: unknown[]) => template,
    setApplicationMenu: (menu: unknown[]) => (state.menu = menu),
    getApplicationMenu: () => (state.menu ? { items: state.menu } : null),
  },
  // One 1920×1080 screen with a 40 px task bar.
  screen: {
    getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  },
  ipcMain: {
    handle: (channel: string, h: (...args: never[]) => unknown) => state.ipcHandlers.set(channel, h),
    on: (channel: string, l: Listener) =>
      state.ipcListeners.set(channel, [...(state.ipcListeners.get(channel) ?? []), l]),
  },
  protocol: {
    registerSchemesAsPrivileged: (s: FakeElectronState['privilegedSchemes']) =>
      state.privilegedSchemes.push(...s),
    handle: (scheme: string, h: (request: { url: string }) => Response) =>
      state.protocolHandlers.set(scheme, h),
  },
  session: {
    fromPartition: (name: string) => {
      const recorded = { permissionRequest: null as unknown, permissionCheck: null as (() => boolean) | null }
      state.partitions.set(name, recorded)
      return {
        setPermissionRequestHandler: (h: unknown) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: () => boolean) => (recorded.permissionCheck = h),
      }
    },
    defaultSession: {
      setPermissionRequestHandler: (h: FakeElectronState['permissionRequest']) =>
        (state.permissionRequest = h),
      setPermissionCheckHandler: (h: FakeElectronState['permissionCheck']) => (state.permissionCheck = h),
      webRequest: {
        onHeadersReceived: (h: FakeElectronState['headersReceived']) => (state.headersReceived = h),
      },
    },
  },
  shell: {
    openExternal: (url: string) => {
      state.opened.push(url)
      return Promise.resolve()
    },
  },
  // The training worker never starts here: by default it exits at once, so the backend probe ends.
  utilityProcess: {
    fork: (modulePath: string, args: string[] = [], options: Record<string, unknown> = {}) => {
      const child = new FakeUtilityProcess(modulePath, args, options)
      state.forked.push(child)
      if (state.forkedExitAtOnce) setTimeout(() => child.emit('exit', 1), 0)
      return child
    },
  },
  MessageChannelMain: FakeMessageChannel,
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      state.ipcRendererCalls.push(['invoke', ...args])
      return Promise.resolve()
    },
    on: (...args: unknown[]) => state.ipcRendererCalls.push(['on', ...args]),
    send: (...args: unknown[]) => state.ipcRendererCalls.push(['send', ...args]),
    off: (...args: unknown[]) => state.ipcRendererCalls.push(['off', ...args]),
  },
  dialog: {
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showSaveDialog: () => Promise.resolve({ canceled: true }),
    showMessageBox: () => Promise.resolve({ response: 0 }),
    showErrorBox: () => undefined,
  },
}
