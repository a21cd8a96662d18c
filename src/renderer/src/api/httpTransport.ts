import type { ApiClient, ApiErrorBody } from '../../../shared/api'
import { ApiError } from '../../../shared/api'
import type { ApiEvent } from '../../../shared/events'
import { TOKEN_HEADER, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../shared/serveProtocol'
import { serveKey } from './serveKey'

/** Browsers cap the bodies of keepalive requests in flight at 64 KiB. */
const KEEPALIVE_LIMIT = 60 * 1024

/**
 * Serve mode: calls are POST /api/<method> with this launch's key in a header; events arrive on a
 * WebSocket (the key offered as a subprotocol) that reconnects. Blob URLs carry the key as a query.
 */
export function createHttpClient(base = ''): ApiClient {
  const listeners = new Set<(e: ApiEvent) => void>()
  let socket: WebSocket | null = null
  const key = () => serveKey() ?? ''
  const connect = () => {
    const url = new URL('/events', base || window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    socket = new WebSocket(url, [WS_PROTOCOL, WS_TOKEN_PREFIX + key()])
    socket.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as ApiEvent
      for (const l of listeners) l(event)
    }
    socket.onclose = () => {
      socket = null
      if (listeners.size) setTimeout(connect, 1000)
    }
  }
  return {
    transport: 'http',
    async call(method, input) {
      const res = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: key() },
        body: JSON.stringify(input ?? {}),
      })
      const body = (await res.json()) as { ok: true; result: unknown } | { ok: false; error: ApiErrorBody }
      if (!body.ok) throw new ApiError(body.error.message, body.error.issues)
      return body.result as never
    },
    beacon(method, input) {
      // A keepalive fetch outlives the page as sendBeacon does, and unlike it can carry the key header.
      const body = JSON.stringify(input ?? {})
      if (body.length > KEEPALIVE_LIMIT) return false
      void fetch(`${base}/api/${method}`, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: key() },
        body,
      }).catch(() => undefined)
      return true
    },
    onEvent(listener) {
      listeners.add(listener)
      if (!socket) connect()
      return () => listeners.delete(listener)
    },
    blobUrl: (hash) => `${base}/blob/${hash}?key=${encodeURIComponent(key())}`,
  }
}
