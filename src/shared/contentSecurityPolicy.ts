/**
 * The one Content-Security-Policy of the renderer, for both doors: the desktop app's `app://` protocol and
 * serve mode's HTTP responses. Only the bundle's own scripts run (no inline script, no eval), images come
 * from the app, `data:`/`blob:` URLs it made itself and the blob store, and the page may talk only to its
 * own origin (plus, in serve mode, its own WebSocket address: never a `ws:` wildcard). No page may frame it.
 */
export interface CspSources {
  /** Where blobs (images, tiles, masks) load from besides 'self', e.g. the desktop app's `s4mi-blob:`. */
  blobOrigins?: string[]
  /** Extra connect-src entries, each a full origin such as `ws://127.0.0.1:5177`. */
  connectOrigins?: string[]
  /** Development only (electron-vite's dev server): React Refresh needs one inline preamble script. */
  devInlineScript?: boolean
}

export function contentSecurityPolicy(sources: CspSources = {}): string {
  for (const o of [...(sources.blobOrigins ?? []), ...(sources.connectOrigins ?? [])]) {
    // A scheme alone (`ws:`) or a wildcard would let the page reach any host.
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^*\s/]+$/i.test(o) && !/^s4mi-blob:$/.test(o))
      throw new Error(`CSP source ${JSON.stringify(o)} is not one exact origin`)
  }
  const blobs = sources.blobOrigins ?? []
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...(sources.devInlineScript ? ["'unsafe-inline'"] : [])]],
    // React and Konva set element styles; no stylesheet comes from anywhere but the bundle.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...blobs]],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...blobs, ...(sources.connectOrigins ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
  ]
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ')
}
