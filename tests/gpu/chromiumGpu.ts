// Headless Chromium with tfjs's WebGPU and WebGL backends on SwiftShader, the software adapter (correct, slow:
// for equivalence, never for speed). The page is served from 127.0.0.1, as WebGPU wants a secure origin.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { build } from 'esbuild'
import { chromium, type Browser } from 'playwright-core'
import type { MethodName, MethodNumbers } from './methodTrainingCase'
import type { StepCase, StepNumbers } from './trainingStepCases'

export const CHROMIUM = process.env.S4MI_CHROMIUM ?? '/usr/bin/chromium'

export type GpuBackend = 'webgpu' | 'webgl'

/** What the GPU window's chain step (startGpuBackend) answered in the page: the adapter it started, or why not. */
export type GpuStartAnswer =
  { ok: true; device: string; software: boolean; backend: string } | { ok: false; reason: string }

/** What the page puts on its global object. */
export interface PageGlobals {
  s4miStep(backend: GpuBackend, name: StepCase): Promise<StepNumbers & { adapter: string }>
  s4miStartGpu(backend: GpuBackend, allowSoftware: boolean): Promise<GpuStartAnswer>
  s4miMethod(backend: GpuBackend, name: MethodName): Promise<MethodNumbers>
}

export interface GpuPage {
  step(backend: GpuBackend, name: StepCase): Promise<StepNumbers & { adapter: string }>
  startGpu(backend: GpuBackend, allowSoftware: boolean): Promise<GpuStartAnswer>
  method(backend: GpuBackend, name: MethodName): Promise<MethodNumbers>
  close(): Promise<void>
}

/**
 * The methods' modules import a few Node modules they use only for files (sharp, fs, zlib) or not at all in
 * a training run: the page gets empty stand-ins, and node:os one answer (memoryEstimate asks for RAM).
 */
const nodeStandIns = {
  name: 'node-stand-ins',
  setup(b: import('esbuild').PluginBuild) {
    b.onResolve({ filter: /^(node:.*|sharp|fs|crypto|util)$/ }, (a) => ({
      path: a.path,
      namespace: 'stand-in',
    }))
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (a) => ({
      contents:
        a.path === 'node:os' ? 'module.exports = { totalmem: () => 16 * 2 ** 30 }' : 'module.exports = {}',
      loader: 'js' as const,
    }))
  },
}

/**
 * `vulkanCompositor` (default true): Chromium composites with Vulkan (SwiftShader's), as it does on a GPU, so a
 * WebGPU canvas can be read back; tfjs's synchronous read on WebGPU goes through one. Without it, headless
 * Chromium's software compositor loses the WebGPU device on such a read (what the chain's read-back check is for).
 */
export async function openGpuPage(options: { vulkanCompositor?: boolean } = {}): Promise<GpuPage> {
  const bundle = await build({
    entryPoints: [path.join(__dirname, 'trainingStepPage.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    logLevel: 'warning',
    plugins: [nodeStandIns],
  })
  const served = await servedChromium(
    '<!doctype html><meta charset="utf-8"><script src="/page.js"></script>',
    { '/page.js': bundle.outputFiles[0].contents },
    options,
  )
  const { browser } = served
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(served.url)
  return {
    step: async (backend, name) => {
      const numbers = await page.evaluate(
        ([b, n]) => (globalThis as unknown as PageGlobals).s4miStep(b as GpuBackend, n as StepCase),
        [backend, name],
      )
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
      return numbers
    },
    method: (backend, name) =>
      page.evaluate(
        ([b, n]) => (globalThis as unknown as PageGlobals).s4miMethod(b as GpuBackend, n as MethodName),
        [backend, name] as const,
      ),
    startGpu: (backend, allowSoftware) =>
      page.evaluate(
        ([b, a]) => (globalThis as unknown as PageGlobals).s4miStartGpu(b as GpuBackend, a as boolean),
        [backend, allowSoftware] as const,
      ),
    close: served.close,
  }
}

export const chromiumAvailable = () => fs.existsSync(CHROMIUM)

/**
 * Headless Chromium with WebGPU and WebGL on SwiftShader, and a server on 127.0.0.1 giving `html` at / and
 * each of `files` at its path (WebGPU wants a secure origin: localhost is one).
 */
export async function servedChromium(
  html: string,
  files: Record<string, Uint8Array | string> = {},
  options: { vulkanCompositor?: boolean } = {},
): Promise<{ browser: Browser; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = req.url ? files[req.url] : undefined
    if (file != null) {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(file)
      return
    }
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  let browser: Browser
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
        '--use-angle=swiftshader',
        '--disable-background-networking',
        '--disable-component-update',
        ...(options.vulkanCompositor === false
          ? []
          : ['--use-vulkan=swiftshader', '--enable-features=Vulkan']),
      ],
    })
  } catch (e) {
    server.close()
    throw e
  }
  return {
    browser,
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await browser.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
