// The end-to-end harness: the built app in serve mode on a free port with throwaway data folders, driven by
// Debian's Chromium through playwright-core. It builds nothing: `npm test` runs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { JobState } from '../../src/shared/events'

const ROOT = path.resolve(__dirname, '..', '..')
const SERVE_SCRIPT = path.join(ROOT, 'out', 'node', 'serve.cjs')
const CHROMIUM = process.env.S4MI_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = path.join(ROOT, 'test-output', 'e2e')
const SERVE_LINE = /S4MI Studio is serving at (http:\/\/\S+)/
const START_TIMEOUT_MS = 30_000

export interface ServeApp {
  /** The server's origin, e.g. http://127.0.0.1:40123 */
  url: string
  /** This launch's key, as printed in the server's address. */
  key: string
  /** The printed address (origin + key) a browser opens first; the page keeps the key. */
  pageUrl: string
  /** Headers an API call needs besides its body type. */
  headers: Record<string, string>
  dataDir: string
  projectsDir: string
  /** POSTs one API call; resolves to the HTTP status and the parsed JSON body (or the raw text). */
  post(method: string, body: unknown, raw?: boolean): Promise<{ status: number; body: ApiReply }>
  /** Calls a method and returns its result, throwing with the server's message when it fails. */
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  /** Everything the server printed, for failure messages. */
  log(): string
  /** Kills the server at once (SIGKILL: no cleanup, as a crash or a power cut would). */
  kill(): Promise<void>
  close(): Promise<void>
}

export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { message: string; issues?: { path: string; message: string }[] } }

export interface BrowserApp extends ServeApp {
  context: BrowserContext
  page: Page
}

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `s4mi-e2e-${label}-`))
}

/** Starts `out/node/serve.cjs --port 0` with fresh data and projects folders; resolves once it prints its URL. */
export async function startServe(extraArgs: string[] = []): Promise<ServeApp> {
  if (!fs.existsSync(SERVE_SCRIPT)) {
    throw new Error(`${SERVE_SCRIPT} is missing: run npm run build before the e2e tests`)
  }
  const dataDir = tempDir('data')
  const projectsDir = tempDir('projects')
  const child = spawn(
    process.execPath,
    [SERVE_SCRIPT, '--port', '0', '--data-dir', dataDir, '--projects-dir', projectsDir, ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  )
  let output = ''
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (s: string) => (output += s))

  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve did not print its URL within ${START_TIMEOUT_MS} ms:\n${output}`))
    }, START_TIMEOUT_MS)
    child.stdout!.on('data', (s: string) => {
      output += s
      const m = SERVE_LINE.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`serve exited early (code ${code}, signal ${signal}):\n${output}`))
    })
  })

  const address = new URL(printed)
  const url = address.origin
  const key = address.searchParams.get('key') ?? ''
  const headers = { 'x-s4mi-token': key }
  const post: ServeApp['post'] = async (method, body, raw = false) => {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw ? String(body) : JSON.stringify(body ?? {}),
    })
    const text = await res.text()
    let parsed: ApiReply
    try {
      parsed = JSON.parse(text) as ApiReply
    } catch {
      throw new Error(`${method}: HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`)
    }
    return { status: res.status, body: parsed }
  }

  return {
    url,
    key,
    pageUrl: printed,
    headers,
    dataDir,
    projectsDir,
    post,
    async call<T>(method: string, input: unknown = {}) {
      const { body } = await post(method, input)
      if (!body.ok) throw new Error(`${method} failed: ${body.error.message}`)
      return body.result as T
    },
    log: () => output,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((done) => child.once('exit', () => done()))
      child.kill('SIGKILL')
      await exited
    },
    close: () => stopServe(child, [dataDir, projectsDir]),
  }
}

async function stopServe(child: ChildProcess, dirs: string[]): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
}

/** Serve mode plus a headless Chromium with a fresh profile, one page open at the app's URL. */
export async function startApp(
  options: { width?: number; height?: number; serveArgs?: string[] } = {},
): Promise<BrowserApp> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set S4MI_CHROMIUM)`)
  const serve = await startServe(options.serveArgs)
  const userDataDir = tempDir('chromium')
  let context: BrowserContext
  try {
    // A persistent context is how playwright takes a user-data-dir; a fresh temp one keeps runs independent.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    })
  } catch (e) {
    await serve.close()
    fs.rmSync(userDataDir, { recursive: true, force: true })
    throw e
  }
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text())
  })
  await page.goto(serve.pageUrl)
  return {
    ...serve,
    context,
    page,
    log: () => serve.log() + (pageErrors.length ? `\n[page errors]\n${pageErrors.join('\n')}` : ''),
    async close() {
      await context.close().catch(() => undefined)
      fs.rmSync(userDataDir, { recursive: true, force: true })
      await serve.close()
    },
  }
}

/** Saves a full-page PNG under test-output/e2e/ and prints its path, so a run shows what the user saw. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`)
  await page.screenshot({ path: file, fullPage: true })
  console.log(`screenshot: ${path.relative(ROOT, file)}`)
  return file
}

/** Waits until every job of a kind has ended, failing on a failed one. */
export async function jobsDone(app: BrowserApp, kind: JobState['kind'], seconds = 240): Promise<void> {
  for (let i = 0; ; i++) {
    const jobs = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === kind)
    const failed = jobs.find((j) => j.status === 'failed')
    if (failed) throw new Error(`${kind} failed: ${failed.error}`)
    if (jobs.length > 0 && jobs.every((j) => j.status === 'succeeded')) return
    if (i > seconds * 5) throw new Error(`${kind} did not finish in ${seconds} s`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
