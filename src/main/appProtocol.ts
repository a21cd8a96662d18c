import fs from 'node:fs'
import { bundleContentType, bundleFile } from '../core/api/rendererBundle'
import { contentSecurityPolicy } from '../shared/contentSecurityPolicy'

/**
 * The desktop app's own origin. The window loads `app://bundle/index.html` instead of a file:// URL, so the
 * page has a real origin that IPC, navigation and CSP checks can name, and file:// grants nothing
 * (Electron security checklist item 18).
 */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://bundle`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** Registered before the app is ready: standard (relative URLs resolve) and secure (like https). */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const

/** The renderer's policy on app:// pages: blobs from s4mi-blob:, nothing else from outside (no ws: at all). */
const appContentSecurityPolicy = contentSecurityPolicy({ blobOrigins: ['s4mi-blob:'] })

function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': appContentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    },
  })
}

/**
 * Answers an app:// request with a file of the built renderer and nothing else: another host, a path that
 * leads out of the bundle (`..`, a symlink), a folder or a missing file are refused; malformed
 * percent-encoding is a 400. Every answer carries the app's CSP.
 */
export function bundleResponse(rendererDir: string, requestUrl: string): Response {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return refuse(400, 'Not a URL')
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'bundle') return refuse(404, 'Not part of the app')
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return refuse(400, 'Malformed percent-encoding in the address')
  }
  if (pathname.includes('\0')) return refuse(400, 'Malformed address')
  const found = bundleFile(rendererDir, pathname === '/' ? '/index.html' : pathname)
  if ('refused' in found)
    return found.refused === 'outside'
      ? refuse(403, 'The path leads outside the app')
      : refuse(404, 'Not found')
  let data: Buffer
  try {
    data = fs.readFileSync(found.file)
  } catch {
    return refuse(404, 'Not found')
  }
  return new Response(new Uint8Array(data), {
    status: 200,
    headers: {
      'content-type': bundleContentType(found.file),
      'content-security-policy': appContentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  })
}
