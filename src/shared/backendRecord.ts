/**
 * How a run records the backend it trained on, as one line (the runs table, exports and the run page read
 * it): the backend and its device, then each faster backend skipped and why. Written by the training
 * worker, read back into its parts for the run page.
 */
const SKIPPED = '; skipped '

export function backendRecord(name: string, device: string, skipped: readonly string[]): string {
  return `${name} (${device})${skipped.length ? `${SKIPPED}${skipped.join('; ')}` : ''}`
}

/** A recorded line's parts: the backend used, and each skipped one with its reason. */
export function readBackendRecord(line: string): { used: string; skipped: string[] } {
  const at = line.indexOf(SKIPPED)
  if (at < 0) return { used: line, skipped: [] }
  return { used: line.slice(0, at), skipped: line.slice(at + SKIPPED.length).split('; ') }
}
