import { gpuWindowChannels, gpuWindowEntry } from './gpuWindowChannels'

/**
 * The GPU training window's page (electron.vite.config.ts writes it beside the main bundle). It only requires
 * the training script beside it. If that fails (a module that will not load in a renderer), the page hands
 * the job back with the error as the reason for both GPU backends, and ends, so the CPU worker trains instead
 * of the job waiting on a window that will never answer.
 */
export function gpuWindowPage(): string {
  const { job, exit } = gpuWindowChannels
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>S4MI training (GPU)</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">
</head><body><script>
try {
  require('./${gpuWindowEntry}.js')
} catch (e) {
  const { ipcRenderer } = require('electron')
  const reason = 'the GPU window could not load its script: ' + String((e && e.message) || e)
  ipcRenderer.send('${job}', { type: 'gpuUnavailable', webgpu: reason, webgl: reason })
  ipcRenderer.send('${exit}', 1)
}
</script></body></html>
`
}
