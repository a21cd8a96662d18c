import fs from 'node:fs'

/**
 * `npm run test:electron` (scripts/desktop/testElectron.mjs) starts the real app with S4MI_ELECTRON_SMOKE set
 * to a file: the main process notes there what Electron really did (menu installed, window shown, a second
 * launch handed over), and quits after S4MI_ELECTRON_SMOKE_QUIT_MS. Without the variable this does nothing.
 */
export function smokeNote(line: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.S4MI_ELECTRON_SMOKE) fs.appendFileSync(env.S4MI_ELECTRON_SMOKE, `${line}\n`)
}

/** How long a smoke run stays up, or null outside one. */
export function smokeQuitAfter(env: NodeJS.ProcessEnv = process.env): number | null {
  if (!env.S4MI_ELECTRON_SMOKE) return null
  const ms = Number(env.S4MI_ELECTRON_SMOKE_QUIT_MS ?? 0)
  return Number.isFinite(ms) && ms >= 0 ? ms : 0
}
