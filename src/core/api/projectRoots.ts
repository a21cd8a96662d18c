import fs from 'node:fs'
import path from 'node:path'

/** The real path of `p`: its nearest existing ancestor with symlinks resolved, plus the rest as written. */
function realPathOf(p: string): string {
  const rest: string[] = []
  let cur = path.resolve(p)
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse())
    } catch {
      const parent = path.dirname(cur)
      if (parent === cur) return path.join(cur, ...rest.reverse())
      rest.push(path.basename(cur))
      cur = parent
    }
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/**
 * The folders the API may create, open or write projects and exports in: the app's data folder, the
 * default projects folder, folders the operator allowed (`--projects-root`) and, on the desktop, folders
 * the user picked in a native dialog. Anything else (another user's home, `/etc`, a new folder somewhere)
 * is refused, also when a symlink inside a root leads out of it.
 */
export class ProjectRoots {
  private readonly roots: string[] = []

  constructor(roots: readonly string[] = []) {
    for (const r of roots) this.add(r)
  }

  /** Allows `dir` and everything below it (a folder the user chose or the operator named). */
  add(dir: string): void {
    const abs = path.resolve(dir)
    if (!this.roots.includes(abs)) this.roots.push(abs)
  }

  list(): string[] {
    return [...this.roots]
  }

  allows(dir: string): boolean {
    if (!path.isAbsolute(dir)) return false
    const real = realPathOf(dir)
    return this.roots.some((r) => isInside(realPathOf(r), real))
  }

  /** The absolute folder, or an error naming the field and where projects may go. */
  confine(dir: string, field = 'dir'): string {
    if (!path.isAbsolute(dir))
      throw new Error(`${field}: give a full folder path, not ${JSON.stringify(dir)}`)
    if (dir.includes('\0')) throw new Error(`${field}: the folder path holds a NUL character`)
    if (!this.allows(dir))
      throw new Error(
        `${field}: ${dir} is outside the folders this app may use for projects and exports ` +
          `(${this.roots.join(', ') || 'none'}); choose a folder inside one of them`,
      )
    return path.resolve(dir)
  }
}
