import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Handlers } from '../core/api/handlerTypes'
import { dispatch } from '../core/api/dispatch'
import type { Session } from '../core/api/session'

export interface ServeOptions {
  session: Session
  handlers: Handlers
  /** The built renderer (index.html and assets). */
  staticDir: string
  host: string
  port: number
}

const MAX_BODY = 256 * 1024 * 1024
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
}

function sniff(data: Buffer): string {
  if (data[0] === 0x89 && data[1] === 0x50) return 'image/png'
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg'
  if ((data[0] === 0x49 && data[1] === 0x49) || (data[0] === 0x4d && data[1] === 0x4d)) return 'image/tiff'
  if (data[0] === 0x52 && data[1] === 0x49 && data[8] === 0x57) return 'image/webp'
  return 'application/octet-stream'
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error(`Request body over ${MAX_BODY} bytes`))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

/**
 * Requests must name this server as their Host, so a web page elsewhere cannot reach the API through
 * DNS rebinding; when bound to loopback only loopback names are accepted.
 */
function hostAllowed(req: http.IncomingMessage, opts: ServeOptions, port: number): boolean {
  const host = req.headers.host ?? ''
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') return true
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)
}

function serveStatic(res: http.ServerResponse, staticDir: string, urlPath: string): void {
  const root = path.resolve(staticDir)
  let file = path.resolve(root, '.' + decodeURIComponent(urlPath))
  if (!file.startsWith(root + path.sep) && file !== root) {
    res.writeHead(403).end('Forbidden')
    return
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html')
  if (!fs.existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('The renderer is not built: run npm run build')
    return
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  })
  fs.createReadStream(file).pipe(res)
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Serves the built renderer and the API contract (HTTP for calls, WebSocket for events). */
export function startServer(opts: ServeOptions): Promise<RunningServer> {
  let port = opts.port
  const server = http.createServer(async (req, res) => {
    try {
      if (!hostAllowed(req, opts, port)) {
        res.writeHead(403).end('Host not allowed')
        return
      }
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') {
          send(res, 405, { ok: false, error: { message: 'API calls are POST requests' } })
          return
        }
        const method = url.pathname.slice('/api/'.length)
        let input: unknown
        try {
          const body = await readBody(req)
          input = body ? JSON.parse(body) : {}
        } catch (e) {
          send(res, 400, { ok: false, error: { message: `Body is not valid JSON: ${(e as Error).message}` } })
          return
        }
        const out = await dispatch(opts.handlers, method, input)
        send(res, out.ok ? 200 : 400, out)
        return
      }
      if (url.pathname.startsWith('/blob/')) {
        const project = opts.session.current
        const hash = url.pathname.slice('/blob/'.length)
        if (!project || !/^[0-9a-f]{64}$/.test(hash) || !project.blobs.has(hash)) {
          res.writeHead(404).end('No such blob')
          return
        }
        const data = project.blobs.get(hash)
        res.writeHead(200, {
          'content-type': sniff(data),
          'cache-control': 'private, max-age=31536000, immutable',
        })
        res.end(data)
        return
      }
      serveStatic(res, opts.staticDir, url.pathname)
    } catch (e) {
      if (!res.headersSent) send(res, 500, { ok: false, error: { message: (e as Error).message } })
    }
  })

  const wss = new WebSocketServer({ noServer: true })
  const sockets = new Set<WebSocket>()
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/events' || !hostAllowed(req, opts, port)) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
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
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
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
