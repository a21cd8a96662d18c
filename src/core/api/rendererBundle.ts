import fs from 'node:fs'
import path from 'node:path'
import { realPathInside } from '../store/confinedPath'

/** The built renderer's files as both doors serve them: the desktop app's app:// and serve mode's HTTP. */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** The content type a bundle file is sent with. */
export function bundleContentType(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'
}

/**
 * The real path of the file a decoded request path names under `dir`, or why there is none: `outside` when
 * it leads out of the bundle (`..`, a symlink), `missing` when nothing is there or it is not a file.
 */
export function bundleFile(
  dir: string,
  urlPath: string,
): { file: string } | { refused: 'outside' | 'missing' } {
  const asked = path.resolve(dir, '.' + urlPath)
  if (!fs.existsSync(asked)) return { refused: 'missing' }
  const file = realPathInside(dir, asked)
  if (!file) return { refused: 'outside' }
  try {
    return fs.statSync(file).isFile() ? { file } : { refused: 'missing' }
  } catch {
    return { refused: 'missing' }
  }
}
