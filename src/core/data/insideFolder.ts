import fs from 'node:fs'
import path from 'node:path'

/**
 * Resolves `relative` under `root` and refuses symlinks and paths that lead outside the import
 * folder (`..`, absolute names in a CSV), so an import only ever reads what the user pointed at.
 * Returns the absolute path, or a problem sentence.
 */
export function insideFolder(root: string, relative: string): { file: string } | { problem: string } {
  const base = path.resolve(root)
  const file = path.resolve(base, relative)
  const rel = path.relative(base, file)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    return { problem: 'path leads outside the import folder' }
  let cur = base
  for (const part of rel.split(path.sep)) {
    cur = path.join(cur, part)
    let st: fs.Stats
    try {
      st = fs.lstatSync(cur)
    } catch {
      return { problem: 'file not found' }
    }
    if (st.isSymbolicLink())
      return { problem: 'is a symbolic link (refused: it may lead outside the import folder)' }
  }
  return { file }
}
