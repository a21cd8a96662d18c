import type { BackendStatus } from '../shared/api'

export interface AboutVersions {
  app: string
  electron: string
  chromium: string
  node: string
  tfjs: string
}

/**
 * The About box: the versions a bug report needs and the training backend chain as it was decided (the one in
 * use and why each faster one was skipped), in the words the status bar uses.
 */
export function aboutText(
  appName: string,
  v: AboutVersions,
  backend: BackendStatus | null,
): { message: string; detail: string } {
  const lines = [
    `Electron ${v.electron}`,
    `Chromium ${v.chromium}`,
    `Node ${v.node}`,
    `TensorFlow.js ${v.tfjs}`,
    '',
  ]
  if (!backend) lines.push('Training backend: still being detected.')
  else {
    const threads = backend.threads === 1 ? '1 thread' : `${backend.threads} threads`
    lines.push(`Training backend: ${backend.name} on ${backend.device} (${threads})`)
    if (backend.warning) lines.push(`Warning: ${backend.warning}`)
    if (backend.skipped.length)
      lines.push('Skipped, in the order tried:', ...backend.skipped.map((s) => `• ${s}`))
  }
  return { message: `${appName} ${v.app}`, detail: lines.join('\n') }
}
