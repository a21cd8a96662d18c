// Figures a suite's tests record (kills, writes lost, 500s, …) for the figures reporter to print last.
// Kept in test-output/figures/<suite>.json; each test adds to the counts it measured.
import fs from 'node:fs'
import path from 'node:path'

const DIR = path.resolve(__dirname, '..', '..', 'test-output', 'figures')

export function readFigures(suite: string): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(path.join(DIR, `${suite}.json`), 'utf8')) as Record<string, number>
  } catch {
    return {}
  }
}

/** Adds `counts` to the suite's figures (a fresh run starts from clearFigures). */
export function recordFigures(suite: string, counts: Record<string, number>): void {
  const now = readFigures(suite)
  for (const [k, v] of Object.entries(counts)) now[k] = (now[k] ?? 0) + v
  fs.mkdirSync(DIR, { recursive: true })
  fs.writeFileSync(path.join(DIR, `${suite}.json`), JSON.stringify(now, null, 2))
}

export function clearFigures(suite: string): void {
  fs.rmSync(path.join(DIR, `${suite}.json`), { force: true })
}
