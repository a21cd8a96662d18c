import fs from 'node:fs'
import type http from 'node:http'
import { bundleContentType, bundleFile } from '../core/api/rendererBundle'

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
  const found = bundleFile(staticDir, urlPath)
  if ('refused' in found && found.refused === 'outside') {
    res.writeHead(403, { ...headers, 'content-type': 'text/plain' })
    res.end('Forbidden: the path leads outside the app')
    return
  }
  const served = 'file' in found ? found : bundleFile(staticDir, '/index.html')
  if ('refused' in served) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' })
    res.end('The renderer is not built: run npm run build')
    return
  }
  const file = served.file
  res.writeHead(200, {
    ...headers,
    'content-type': bundleContentType(file),
    'cache-control': 'no-cache',
  })
  fs.createReadStream(file).pipe(res)
}
