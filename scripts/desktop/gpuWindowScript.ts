import path from 'node:path'
import { build } from 'esbuild'
import { gpuWindowPage } from '../../src/main/gpuWindowPage'

/**
 * The GPU training window's page with its script inline: src/main/gpuTrainingWindow.ts bundled for the
 * browser (the window is sandboxed: no Node, no require), as electron.vite.config.ts writes it into out/main
 * and the Chromium test (tests/gpu/gpuWindowRun.test.ts) loads it.
 */
export async function gpuWindowPageWithScript(): Promise<string> {
  const bundle = await build({
    entryPoints: [path.join(__dirname, '../../src/main/gpuTrainingWindow.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    write: false,
    logLevel: 'error',
  })
  return gpuWindowPage(bundle.outputFiles[0].text)
}
