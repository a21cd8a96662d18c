export interface ImportProblemRow {
  file: string
  problem: string
}

function isProblemList(v: unknown): v is ImportProblemRow[] {
  return (
    Array.isArray(v) &&
    v.every((p) => p && typeof p === 'object' && typeof p.file === 'string' && typeof p.problem === 'string')
  )
}

/**
 * The per-file problems of a failed import. A job result carrying `problems` (structured) wins; otherwise
 * the importer's message "Import refused, N problems: a.png: …; b.png: …" is split at each "; <file>:" so
 * a problem text that itself holds "; " stays whole. Anything else is one row without a file.
 */
export function importProblems(error: string | null, result: unknown): ImportProblemRow[] {
  const structured = (result as { problems?: unknown } | null)?.problems
  if (isProblemList(structured)) return structured
  if (!error) return []
  const m = /^Import refused, \d+ problems?: (.*)$/s.exec(error)
  if (!m) return [{ file: '', problem: error }]
  return m[1]
    .split(/; (?=[^;:\s][^;:]*\.[A-Za-z0-9]{2,5}: )/)
    .filter((part) => part !== '…')
    .map((part) => {
      const at = part.search(/\.[A-Za-z0-9]{2,5}: /)
      if (at < 0) return { file: '', problem: part.replace(/; …$/, '') }
      const cut = part.indexOf(': ', at)
      return { file: part.slice(0, cut), problem: part.slice(cut + 2).replace(/; …$/, '') }
    })
}
