import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { gpuWindowEntry } from './src/shared/gpuWindowChannels'
import { gpuWindowPageWithScript } from './scripts/desktop/gpuWindowScript'

/**
 * The sandboxed GPU training window's page, its training script inline and built for the browser
 * (scripts/desktop/gpuWindowScript.ts), written into out/main.
 */
const gpuWindowPagePlugin = {
  name: 's4mi-gpu-window-page',
  async generateBundle(this: { emitFile(f: { type: 'asset'; fileName: string; source: string }): void }) {
    this.emitFile({
      type: 'asset',
      fileName: `${gpuWindowEntry}.html`,
      source: await gpuWindowPageWithScript(),
    })
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
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require npm packages: bundle everything it needs.
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/preload/index.ts'),
          // The GPU training window's: it passes the window its MessagePorts and nothing else.
          gpuWindow: resolve(__dirname, 'src/preload/gpuWindow.ts'),
        },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
  },
})
