import { createHash } from 'node:crypto'
import { gpuWindowPorts } from '../shared/gpuWindowChannels'

/**
 * The first script of the GPU window's page: it keeps each MessagePort the preload passes on (`s4miPort(name)`
 * gives it), and if the training script fails to load, hands the job back over the jobs port with the error
 * as the reason for both GPU backends, so the CPU worker trains instead of the job waiting on this window.
 */
const portKeeper = `(() => {
  const ports = {}, waiting = {}
  globalThis.s4miPort = (name) => ports[name] ? Promise.resolve(ports[name]) : new Promise((r) => { waiting[name] = r })
  addEventListener('message', (ev) => {
    if (ev.source !== window || !ev.data || typeof ev.data.s4miPort !== 'string' || !ev.ports[0]) return
    ports[ev.data.s4miPort] = ev.ports[0]
    if (waiting[ev.data.s4miPort]) waiting[ev.data.s4miPort](ev.ports[0])
  })
  globalThis.s4miFailed = (e) => s4miPort('${gpuWindowPorts.jobs}').then((port) => {
    const reason = 'the GPU window could not load its script: ' + String((e && e.message) || e)
    port.postMessage({ type: 'gpuUnavailable', webgpu: reason, webgl: reason })
  })
})()`

const scriptHash = (script: string) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`

/**
 * The GPU training window's page (electron.vite.config.ts writes it into out/main): the port keeper, then the
 * training script (a browser bundle of gpuTrainingWindow.ts), both inline, and a policy that lets only those
 * two scripts run (by their hashes) and nothing load or connect.
 */
export function gpuWindowPage(trainingScript: string): string {
  // Inline, the script must not end the element early: `</script` only occurs inside its strings.
  const safe = trainingScript.replace(/<\/script/gi, '<\\/script')
  const guarded = `try {\n${safe}\n} catch (e) { s4miFailed(e) }`
  const policy = `default-src 'none'; script-src ${scriptHash(portKeeper)} ${scriptHash(guarded)}`
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>S4MI training (GPU)</title>
<meta http-equiv="Content-Security-Policy" content="${policy}">
</head><body><script>${portKeeper}</script><script>${guarded}</script></body></html>
`
}
