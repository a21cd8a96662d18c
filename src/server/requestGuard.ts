import type http from 'node:http'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host)
}

/**
 * Requests must name this server as their Host, so a web page elsewhere cannot reach the API through
 * DNS rebinding; when bound to loopback only loopback names are accepted.
 */
export function hostAllowed(
  req: http.IncomingMessage,
  boundHost: string,
  port: number,
  /** Names a TLS proxy in front forwards as Host (`--allow-host`). */
  extraHosts: readonly string[] = [],
): boolean {
  const host = (req.headers.host ?? '').toLowerCase()
  if (extraHosts.some((h) => h.toLowerCase() === host)) return true
  if (!isLoopback(boundHost)) return host.length > 0
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)
}

/**
 * A browser names the page a request comes from: its Origin (sent on every POST and WebSocket) and its
 * Sec-Fetch-Site. Only pages of this very server pass; another port on localhost is "same-site" but not
 * the same origin, and a `file://` page sends `Origin: null`. Programs that send neither (the CLI's
 * tests, curl) still need the key.
 */
export function fromOwnPage(req: http.IncomingMessage): { ok: true } | { ok: false; why: string } {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return { ok: false, why: `requests from ${site} pages are refused` }
  const origin = req.headers.origin
  if (origin === undefined) return { ok: true }
  let host: string
  try {
    const u = new URL(origin)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http')
    host = u.host
  } catch {
    return { ok: false, why: `Origin ${JSON.stringify(origin.slice(0, 100))} is not this server` }
  }
  if (host !== req.headers.host)
    return { ok: false, why: `Origin ${JSON.stringify(origin.slice(0, 100))} is not this server` }
  return { ok: true }
}

/** The request body must be declared as JSON: a form or `text/plain` (which needs no CORS) is refused. */
export function isJsonBody(req: http.IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  return type === 'application/json'
}
