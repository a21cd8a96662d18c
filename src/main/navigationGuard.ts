import { externalLinkAllowed } from './externalLinks'
import { isAppPage } from './pageOrigin'

/** The part of Electron's WebContents the guard uses (tests pass a fake). */
export interface GuardedContents {
  on(event: string, listener: (...args: never[]) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void
}

interface Preventable {
  preventDefault(): void
}

/**
 * Electron checklist items 11–15: the app's windows never leave the app. Navigation, redirects and
 * sub-frame navigation to anything but the app's own pages are stopped; no new window opens (allowlisted
 * https links go to the system browser instead); no <webview> may attach.
 */
export function guardWebContents(
  contents: GuardedContents,
  origins: readonly string[],
  openExternal: (url: string) => unknown,
): void {
  const stayInApp = (event: Preventable, url: string) => {
    if (!isAppPage(url, origins)) event.preventDefault()
  }
  contents.on('will-navigate', (event: Preventable, url: string) => stayInApp(event, url))
  contents.on('will-redirect', (event: Preventable, url: string) => stayInApp(event, url))
  // Electron passes (details) here, with details.url and its own preventDefault.
  contents.on('will-frame-navigate', (details: Preventable & { url: string }) =>
    stayInApp(details, details.url),
  )
  contents.on('will-attach-webview', (event: Preventable) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void openExternal(url)
    return { action: 'deny' }
  })
}
