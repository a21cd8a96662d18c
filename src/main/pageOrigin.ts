/** Whether `url` is a page of the app: its origin is exactly one of `origins` (never a prefix match). */
export function isAppPage(url: string | undefined | null, origins: readonly string[]): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  // Custom schemes registered as standard have a real origin; URL gives 'null' for unknown ones, so compare
  // scheme and host as well.
  const origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`
  return origins.includes(origin)
}
