// The GPU training window's built page (out/main/gpuTrainingWindow.html, `npm run build` first): its policy
// lets exactly its two inline scripts run, and those scripts, run as a sandboxed page runs them (a node:vm
// context without require, process or any Node module), take their jobs port from the preload and, Node not
// being Chromium, hand a probe back with the reason for both GPU backends. That the bundle got this far with
// no Node is the point: the window has none. Its GPU path in real Chromium is tested by tests/gpu.
import fs from 'node:fs'
import path from 'node:path'
import { builtinModules } from 'node:module'
import vm from 'node:vm'
import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { gpuWindowEntry, gpuWindowPorts } from '../../../src/shared/gpuWindowChannels'
import { inlineScripts, runPage, scriptHash, within } from './gpuWindowPageRunner'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const pageFile = path.join(ROOT, 'out', 'main', `${gpuWindowEntry}.html`)

function readPage(): string {
  expect(fs.existsSync(pageFile), `${pageFile} (run npm run build)`).toBe(true)
  return fs.readFileSync(pageFile, 'utf8')
}

describe('the GPU training window page, as built', () => {
  it('is the only file of the window in out/main: its script is inline, not a module beside it', () => {
    readPage()
    expect(fs.existsSync(path.join(ROOT, 'out', 'main', `${gpuWindowEntry}.js`))).toBe(false)
    expect(fs.existsSync(path.join(ROOT, 'out', 'preload', 'gpuWindow.js'))).toBe(true)
  })

  it('allows exactly its two inline scripts, by hash, and nothing else to load', () => {
    const page = readPage()
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1]
    expect(csp).toBeDefined()
    const directives = new Map(
      csp!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name, values] as const
      }),
    )
    expect([...directives.keys()].sort()).toEqual(['default-src', 'script-src'])
    expect(directives.get('default-src')).toEqual(["'none'"])
    const scripts = inlineScripts(page)
    expect(scripts).toHaveLength(2)
    // Where Chromium's HTML parser ends each script is where the regular expression does: no `<!--` or
    // `<script` inside them (which would put the tokenizer in its escaped states) and no `</script` but the end.
    for (const s of scripts) expect(s).not.toMatch(/<!--|<script|<\/script/i)
    expect(page.match(/<script\b/gi)).toHaveLength(2)
    expect(directives.get('script-src')).toEqual(scripts.map(scriptHash))
    expect(directives.get('script-src')!.every((v) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(v))).toBe(true)
  })

  it('needs no Node: the training script does not require anything', () => {
    // One require is text, not code: the source the wasm backend hands a Node worker thread for its helper
    // threads (engine/backend/heapThreads.ts), bundled with the kernels, never evaluated in a page.
    const [, bundled] = inlineScripts(readPage())
    const workerSource = "const { workerData } = require('node:worker_threads')"
    const training = bundled.split(workerSource).join('')
    expect(training).not.toMatch(/\brequire\s*\(\s*['"`]/)
    const nodeModules = builtinModules.filter((m) => !m.startsWith('_'))
    for (const name of nodeModules) {
      expect(training).not.toContain(`require("${name}")`)
      expect(training).not.toContain(`require("node:${name}")`)
    }
  })

  it('runs without Node, takes its jobs port from the preload, and hands a probe back without a GPU', async () => {
    const page = runPage(readPage())
    expect(page.errors).toEqual([])
    // What the page's global has: none of Node's.
    const has = (name: string) => vm.runInContext(`typeof ${name} !== 'undefined'`, page.context) as boolean
    for (const name of ['require', 'process', 'Buffer', 'module', 'global'])
      expect(has(name), `${name} in the page`).toBe(false)
    for (const name of ['s4miPort', 's4miFailed']) expect(has(name), `${name} in the page`).toBe(true)
    const { port1, port2 } = new MessageChannel()
    try {
      const answer = new Promise((resolve) => port1.once('message', resolve))
      page.givePort(gpuWindowPorts.jobs, port2)
      port1.postMessage({ type: 'probe' })
      // Node is not Chromium: WebGPU and WebGL2 are each skipped with the reason (the training script's, not
      // the port keeper's "could not load its script": it did load).
      expect(await within('answer to the probe', answer, 30_000)).toEqual({
        type: 'gpuUnavailable',
        webgpu: 'runs only inside Chromium',
        webgl: 'runs only inside Chromium',
      })
    } finally {
      port1.close()
      port2.close()
    }
  }, 60_000)
})
