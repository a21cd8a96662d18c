/** libvips repeats its complaints; one line of each is enough for a per-file report. */
export function libvipsMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  const lines = [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ]
  const out = lines.join('; ')
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}
