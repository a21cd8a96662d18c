import { contentSecurityPolicy } from '../shared/contentSecurityPolicy'
import { guardWebContents, type GuardedContents } from './navigationGuard'

/**
 * The renderer is untrusted territory: no Node, isolated context, sandboxed, web security on, no insecure
 * content, no experimental features (Electron checklist items 2–4, 6, 8–10).
 */
export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
} as const

/** The parts of Electron's session and app the hardening touches (tests pass fakes). */
export interface HardenTargets {
  session: {
    setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void): void
    setPermissionCheckHandler(h: () => boolean): void
    webRequest: {
      onHeadersReceived(
        h: (
          details: { url: string; responseHeaders?: Record<string, string[] | string> },
          cb: (r: { responseHeaders: Record<string, string[] | string> }) => void,
        ) => void,
      ): void
    }
  }
  app: { on(event: 'web-contents-created', l: (e: unknown, contents: GuardedContents) => void): unknown }
  openExternal: (url: string) => unknown
}

/**
 * Denies every permission (camera, notifications, …: item 5), puts the CSP on responses that do not come
 * from our app:// handler (the dev server; app:// sets its own), and guards every web contents created.
 */
export function hardenSession(targets: HardenTargets, origins: readonly string[], dev: boolean): void {
  targets.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  targets.session.setPermissionCheckHandler(() => false)
  const pageCsp = contentSecurityPolicy({
    blobOrigins: ['s4mi-blob:'],
    // electron-vite's dev server: React Refresh's preamble and its hot-reload socket, on this machine only.
    devInlineScript: dev,
    connectOrigins: dev ? origins.map((o) => o.replace(/^http/, 'ws')) : [],
  })
  targets.session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [pageCsp] },
    })
  })
  targets.app.on('web-contents-created', (_e, contents) =>
    guardWebContents(contents, origins, targets.openExternal),
  )
}

/** Guards against a later edit weakening the window's settings: the app refuses to start with them. */
export function assertSecure(prefs: Record<string, unknown>): void {
  if (prefs.contextIsolation !== true || prefs.sandbox !== true || prefs.nodeIntegration !== false) {
    throw new Error('Refusing to run a renderer without context isolation and sandbox')
  }
}
