// Runs the GPU training window's page (src/main/gpuWindowPage.ts) outside Chromium: its inline scripts, in
// order, in a node:vm context that has what a sandboxed page has and nothing of Node (no require, no
// process, no Buffer). The preload's part, `window.postMessage({ s4miPort: name }, '*', [port])`, is played
// by `givePort`, with a real MessagePort from node:worker_threads.
import { createHash } from 'node:crypto'
import vm from 'node:vm'
import type { MessagePort } from 'node:worker_threads'

/** The contents of the page's inline <script> elements, in order. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])
}

/** The CSP source for an inline script, as a browser hashes it: sha256 of its text, base64. */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`
}

export interface RunningPage {
  context: vm.Context
  /** What the preload does with a port main sends: a window message from the page's own window. */
  givePort(name: string, port: MessagePort): void
  /** Any window message, as the page's 'message' listeners receive it. */
  dispatch(ev: { source: unknown; data: unknown; ports: MessagePort[] }): void
  /** Uncaught errors of the page's scripts (a browser would log them). */
  errors: unknown[]
}

export function runPage(html: string): RunningPage {
  const messageListeners: ((ev: unknown) => void)[] = []
  const errors: unknown[] = []
  const sandbox: Record<string, unknown> = {
    // A page's timers and the bits of the web platform any script may touch; none of them reaches Node.
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    TextEncoder,
    TextDecoder,
    URL,
    console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
    addEventListener: (type: string, l: (ev: unknown) => void) => {
      if (type === 'message') messageListeners.push(l)
    },
    removeEventListener: () => undefined,
    // Only the preload posts window messages here; a script posting one to itself would need a test of its own.
    postMessage: () => undefined,
  }
  const context = vm.createContext(sandbox)
  vm.runInContext('globalThis.window = globalThis; globalThis.self = globalThis', context)
  const pageWindow = vm.runInContext('window', context) as unknown
  const dispatch = (ev: unknown) => messageListeners.forEach((l) => l(ev))
  for (const script of inlineScripts(html)) {
    try {
      vm.runInContext(script, context, { filename: 'gpuTrainingWindow.html' })
    } catch (e) {
      errors.push(e)
    }
  }
  return {
    context,
    errors,
    dispatch,
    givePort: (name, port) => dispatch({ source: pageWindow, data: { s4miPort: name }, ports: [port] }),
  }
}

/** The page's answer, or a failure naming what did not come (rather than the test's own timeout). */
export function within<T>(what: string, answer: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)
  })
  return Promise.race([answer, late]).finally(() => clearTimeout(timer))
}
