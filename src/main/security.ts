import { app, session, shell } from 'electron'

/**
 * The renderer is untrusted territory: no Node, isolated context, sandboxed, and it may load only the app
 * itself and our blob protocol. Links open in the system browser, never in the app window.
 */
export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
} as const

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; img-src 'self' data: blob: s4mi-blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' s4mi-blob:",
        ],
      },
    })
  })
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith('file://') && !url.startsWith(process.env.ELECTRON_RENDERER_URL ?? '\0'))
        event.preventDefault()
    })
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

/** Guards against a later edit weakening the window's settings: the app refuses to start with them. */
export function assertSecure(prefs: Record<string, unknown>): void {
  if (prefs.contextIsolation !== true || prefs.sandbox !== true || prefs.nodeIntegration !== false) {
    throw new Error('Refusing to run a renderer without context isolation and sandbox')
  }
}
