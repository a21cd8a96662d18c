/**
 * The only sites a link in the app may open in the system browser (Electron checklist item 15): where the
 * methods' papers and reference code live. Anything else, and anything not https, is dropped.
 */
const EXTERNAL_HOSTS = ['github.com', 'arxiv.org', 'doi.org'] as const

export function externalLinkAllowed(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    (EXTERNAL_HOSTS as readonly string[]).includes(parsed.hostname)
  )
}
