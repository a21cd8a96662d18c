import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { realPathInside } from '../core/store/confinedPath'

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

/**
 * The built renderer: files under `staticDir` only (a symlink that leads out of it is refused), and
 * index.html for any other path so that reloading a page of the app works.
 */
export function serveStatic(
  res: http.ServerResponse,
  staticDir: string,
  urlPath: string,
  headers: Record<string, string>,
): void {
  // The caller has decoded the path; `..` and symlinks are checked against the real root.
  const asked = path.resolve(staticDir, '.' + urlPath)
  let file: string | null = null
  if (fs.existsSync(asked)) {
    file = realPathInside(staticDir, asked)
    if (!file) {
      res.writeHead(403, { ...headers, 'content-type': 'text/plain' })
      res.end('Forbidden: the path leads outside the app')
      return
    }
  }
  if (!file || !fs.statSync(file).isFile()) file = realPathInside(staticDir, 'index.html')
  if (!file) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' })
    res.end('The renderer is not built: run npm run build')
    return
  }
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  })
  fs.createReadStream(file).pipe(res)
}
