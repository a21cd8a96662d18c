import { APP_ENTRY, APP_ORIGIN } from './appProtocol'

/**
 * Where the window loads the renderer from. Only an unpackaged app (`npm run dev`) follows electron-vite's
 * ELECTRON_RENDERER_URL, and only to a dev server on this machine: in an installed app the variable is
 * ignored, so nobody can point the app's privileged window at another page by setting it.
 */
export function rendererEntry(where: { packaged: boolean; env: NodeJS.ProcessEnv }): {
  url: string
  /** The origins whose pages are the app (navigation, IPC and the CSP check against these). */
  origins: string[]
  dev: boolean
} {
  const dev = where.env.ELECTRON_RENDERER_URL
  if (!where.packaged && dev) {
    let url: URL | null = null
    try {
      url = new URL(dev)
    } catch {
      url = null
    }
    if (url && url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
      return { url: url.href, origins: [url.origin], dev: true }
  }
  return { url: APP_ENTRY, origins: [APP_ORIGIN], dev: false }
}
