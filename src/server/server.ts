import fs from 'node:fs'
import http from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Handlers } from '../core/api/handlerTypes'
import { dispatch } from '../core/api/dispatch'
import type { Session } from '../core/api/session'
import { contentSecurityPolicy } from '../shared/contentSecurityPolicy'
import { fromOwnPage, hostAllowed, isJsonBody } from './requestGuard'
import {
  BodyTooLarge,
  bodyLimit,
  Gate,
  HEAVY_CONCURRENCY,
  HEAVY_METHODS,
  HEAVY_QUEUE_LIMIT,
  readBody,
} from './requestLimits'
import {
  DOWNLOAD_PATH,
  SIGN_IN_PATH,
  TOKEN_HEADER,
  UPLOAD_NAME_HEADER,
  UPLOAD_PATH,
  WS_PROTOCOL,
} from '../shared/serveProtocol'
import { UploadRefused } from '../core/api/uploadStaging'
import { keyFromProtocols, ServeAccess } from './serveAccess'
import { serveStatic } from './staticFiles'

export interface ServeOptions {
  session: Session
  handlers: Handlers
  /** The built renderer (index.html and assets). */
  staticDir: string
  host: string
  port: number
  /** Who may call the API; by default a fresh per-launch key. */
  access?: ServeAccess
  /** Host names besides the bound address that requests may name (a TLS proxy's public name). */
  allowHosts?: string[]
}

function sniff(data: Buffer): string {
  if (data[0] === 0x89 && data[1] === 0x50) return 'image/png'
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg'
  if ((data[0] === 0x49 && data[1] === 0x49) || (data[0] === 0x4d && data[1] === 0x4d)) return 'image/tiff'
  if (data[0] === 0x52 && data[1] === 0x49 && data[8] === 0x57) return 'image/webp'
  return 'application/octet-stream'
}

/** Sent with every response: no sniffing, no framing, no referrer, nothing of ours embedded elsewhere. */
function securityHeaders(req: http.IncomingMessage): Record<string, string> {
  const host = req.headers.host ?? ''
  return {
    'content-security-policy': contentSecurityPolicy({
      connectOrigins: /^[\w.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i.test(host)
        ? [`ws://${host}`, `wss://${host}`]
        : [],
    }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  }
}

function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...securityHeaders(req),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...extra,
  })
  res.end(JSON.stringify(body))
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string): void {
  // The rest of a refused body is read and dropped, and the connection closed after the answer.
  req.resume()
  send(req, res, status, { ok: false, error: { message } }, { connection: 'close' })
}

export interface RunningServer {
  /** The server's origin, e.g. http://127.0.0.1:5177 */
  url: string
  port: number
  /** The per-launch key (null when people sign in with the operator's password). */
  key: string | null
  /** The address to open: the origin with the key, which the page stores and strips from the address bar. */
  pageUrl: string
  close(): Promise<void>
}

/** Serves the built renderer and the API contract (HTTP for calls, WebSocket for events). */
export function startServer(opts: ServeOptions): Promise<RunningServer> {
  let port = opts.port
  const access = opts.access ?? new ServeAccess()
  const heavy = new Gate(HEAVY_CONCURRENCY, HEAVY_QUEUE_LIMIT)

  const keyOf = (req: http.IncomingMessage, url: URL): string | null => {
    const h = req.headers[TOKEN_HEADER]
    return typeof h === 'string' ? h : url.searchParams.get('key')
  }

  const api = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (req.method !== 'POST') return refuse(req, res, 405, 'API calls are POST requests')
    const method = url.pathname.slice('/api/'.length)
    const own = fromOwnPage(req)
    if (!own.ok) return refuse(req, res, 403, `Refused: ${own.why}`)
    if (!access.allows(keyOf(req, url)))
      return refuse(
        req,
        res,
        401,
        access.needsPassword
          ? 'Sign in first: this server needs its password'
          : 'Refused: the call lacks this launch’s key (open the address the server printed)',
      )
    if (!isJsonBody(req)) return refuse(req, res, 415, 'API calls must send Content-Type: application/json')
    const call = async () => {
      let input: unknown
      try {
        const body = (await readBody(req, bodyLimit(method))).toString('utf8')
        input = body ? JSON.parse(body) : {}
      } catch (e) {
        if (e instanceof BodyTooLarge)
          return refuse(req, res, 413, `Request body of ${method.slice(0, 60)} is over ${e.limit} bytes`)
        return send(req, res, 400, {
          ok: false,
          error: { message: `Body is not valid JSON: ${(e as Error).message.slice(0, 200)}` },
        })
      }
      const out = await dispatch(opts.handlers, method, input)
      send(req, res, out.ok ? 200 : out.error.incident ? 500 : 400, out)
    }
    if (!HEAVY_METHODS.has(method)) return call()
    if (heavy.busy) return refuse(req, res, 503, 'The server is busy with other image work: try again')
    return heavy.run(call)
  }

  const signIn = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'GET') return send(req, res, 200, { password: access.needsPassword })
    if (req.method !== 'POST') return refuse(req, res, 405, 'Sign in with a POST')
    const own = fromOwnPage(req)
    if (!own.ok) return refuse(req, res, 403, `Refused: ${own.why}`)
    if (!isJsonBody(req)) return refuse(req, res, 415, 'Sign in with Content-Type: application/json')
    let password: unknown
    try {
      password = (JSON.parse((await readBody(req, 4096)).toString('utf8')) as { password?: unknown }).password
    } catch {
      return refuse(req, res, 400, 'Send {"password": "…"}')
    }
    const key = await access.signIn(password, req.socket.remoteAddress ?? '?')
    if (!key) return send(req, res, 401, { ok: false, error: { message: 'Wrong password' } })
    send(req, res, 200, { ok: true, result: { key } })
  }

  /** One file into an upload's staging folder, streamed (never whole in memory), within the upload's limit. */
  const upload = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, uploadId: string) => {
    if (req.method !== 'PUT') return refuse(req, res, 405, 'Upload a file with PUT')
    const own = fromOwnPage(req)
    if (!own.ok) return refuse(req, res, 403, `Refused: ${own.why}`)
    if (!access.allows(keyOf(req, url))) return refuse(req, res, 401, 'Refused: the upload lacks the key')
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/octet-stream')
      return refuse(req, res, 415, 'Uploads must send Content-Type: application/octet-stream')
    let relative: string
    try {
      relative = decodeURIComponent(String(req.headers[UPLOAD_NAME_HEADER] ?? ''))
    } catch {
      return refuse(req, res, 400, `Malformed percent-encoding in ${UPLOAD_NAME_HEADER}`)
    }
    const declared = Number(req.headers['content-length'])
    try {
      const r = await opts.session.uploads.receive(
        uploadId,
        relative,
        req,
        Number.isFinite(declared) ? declared : undefined,
      )
      send(req, res, 200, { ok: true, result: r })
    } catch (e) {
      if (e instanceof UploadRefused) return refuse(req, res, e.status, e.message)
      // The page went away mid-file: the partial file is gone already, nobody is left to answer.
      if (req.destroyed || res.destroyed) return
      throw e
    }
  }

  /** A prepared download (an export as a zip): sent once as an attachment, then removed. */
  const download = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, downloadId: string) => {
    if (req.method !== 'GET') return refuse(req, res, 405, 'Fetch a download with GET')
    const own = fromOwnPage(req)
    if (!own.ok || !access.allows(keyOf(req, url))) return refuse(req, res, 403, 'Refused')
    const ready = opts.session.downloads.take(downloadId)
    if (!ready) return refuse(req, res, 404, 'No such download (it was fetched already or replaced)')
    const done = () => opts.session.downloads.discard(downloadId)
    res.writeHead(200, {
      ...securityHeaders(req),
      'content-type': 'application/zip',
      'content-length': String(fs.statSync(ready.file).size),
      // The name is the project's, kept to [\w.-] by the export: nothing to quote or escape.
      'content-disposition': `attachment; filename="${ready.name}"`,
      'cache-control': 'no-store',
    })
    const stream = fs.createReadStream(ready.file)
    stream.on('error', () => res.destroy())
    res.on('close', done)
    stream.pipe(res)
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (!hostAllowed(req, opts.host, port, opts.allowHosts))
        return refuse(req, res, 403, 'Host not allowed')
      const url = new URL(req.url ?? '/', 'http://localhost')
      let pathname: string
      try {
        pathname = decodeURIComponent(url.pathname)
      } catch {
        return refuse(req, res, 400, 'Malformed percent-encoding in the address')
      }
      if (pathname.startsWith('/api/')) return await api(req, res, url)
      if (pathname === SIGN_IN_PATH) return await signIn(req, res)
      if (pathname.startsWith(DOWNLOAD_PATH))
        return download(req, res, url, pathname.slice(DOWNLOAD_PATH.length))
      if (pathname.startsWith(UPLOAD_PATH))
        return await upload(req, res, url, pathname.slice(UPLOAD_PATH.length))
      if (pathname.startsWith('/blob/')) {
        const own = fromOwnPage(req)
        if (!own.ok || !access.allows(keyOf(req, url))) return refuse(req, res, 403, 'Refused')
        const project = opts.session.current
        const hash = pathname.slice('/blob/'.length)
        if (!project || !/^[0-9a-f]{64}$/.test(hash) || !project.blobs.has(hash))
          return refuse(req, res, 404, 'No such blob')
        let data: Buffer
        try {
          data = project.blobs.get(hash)
        } catch {
          return refuse(req, res, 404, 'No such blob')
        }
        res.writeHead(200, {
          ...securityHeaders(req),
          'content-type': sniff(data),
          'cache-control': 'private, max-age=31536000, immutable',
        })
        res.end(data)
        return
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 405, 'Not allowed')
      serveStatic(res, opts.staticDir, pathname, securityHeaders(req))
    } catch (e) {
      console.error(`serve: ${req.method} ${String(req.url).slice(0, 200)}: ${(e as Error).stack}`)
      if (!res.headersSent) send(req, res, 500, { ok: false, error: { message: 'Internal server error' } })
      else res.destroy()
    }
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  })
  const sockets = new Set<WebSocket>()
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const own = fromOwnPage(req)
    const key = keyFromProtocols(req.headers['sec-websocket-protocol'])
    if (
      url.pathname !== '/events' ||
      !hostAllowed(req, opts.host, port, opts.allowHosts) ||
      !own.ok ||
      !access.allows(key)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      // The stream is one way: anything the page sends is ignored.
      ws.on('message', () => undefined)
      ws.on('close', () => sockets.delete(ws))
    })
  })
  const unsubscribe = opts.session.onEvent((event) => {
    const text = JSON.stringify(event)
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      const addr = server.address()
      port = typeof addr === 'object' && addr ? addr.port : opts.port
      const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host
      const origin = `http://${shownHost}:${port}`
      resolve({
        url: origin,
        port,
        key: access.launchKey,
        pageUrl: access.launchKey ? `${origin}/?key=${access.launchKey}` : `${origin}/`,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe()
            for (const ws of sockets) ws.terminate()
            wss.close()
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
