import type { ApiClient, ApiErrorBody } from '../../../shared/api'
import { ApiError } from '../../../shared/api'
import type { ApiEvent } from '../../../shared/events'

/** Serve mode: calls are POST /api/<method>, events arrive on a WebSocket that reconnects. */
export function createHttpClient(base = ''): ApiClient {
  const listeners = new Set<(e: ApiEvent) => void>()
  let socket: WebSocket | null = null
  const connect = () => {
    const url = new URL('/events', base || window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    socket = new WebSocket(url)
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
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      })
      const body = (await res.json()) as { ok: true; result: unknown } | { ok: false; error: ApiErrorBody }
      if (!body.ok) throw new ApiError(body.error.message, body.error.issues)
      return body.result as never
    },
    onEvent(listener) {
      listeners.add(listener)
      if (!socket) connect()
      return () => listeners.delete(listener)
    },
    blobUrl: (hash) => `${base}/blob/${hash}`,
  }
}
