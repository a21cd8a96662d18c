import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { gpuWindowEntry } from './src/main/gpuWindowChannels'
import { gpuWindowPage } from './src/main/gpuWindowPage'

/** The GPU training window's page, beside its script in out/main (src/main/gpuWindowPage.ts). */
const gpuWindowPagePlugin = {
  name: 's4mi-gpu-window-page',
  generateBundle(this: { emitFile(f: { type: 'asset'; fileName: string; source: string }): void }) {
    this.emitFile({ type: 'asset', fileName: `${gpuWindowEntry}.html`, source: gpuWindowPage() })
  },
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), gpuWindowPagePlugin],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The training worker runs in an Electron utilityProcess, never in the main process.
          jobWorker: resolve(__dirname, 'src/core/train/jobWorker.ts'),
          // The GPU training window's script: the same job loop on WebGPU or WebGL2 (src/main/gpuWindowLauncher).
          [gpuWindowEntry]: resolve(__dirname, 'src/main/gpuTrainingWindow.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require npm packages: bundle everything it needs.
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
  },
})
