import fs from 'node:fs'
import path from 'node:path'

/**
 * The real path of `file` when it lies inside `root` after every symlink is followed, or null when it
 * does not exist or leads out (a `..`, an absolute name, or a symlink pointing elsewhere).
 */
export function realPathInside(root: string, file: string): string | null {
  let realRoot: string
  let real: string
  try {
    realRoot = fs.realpathSync(root)
    real = fs.realpathSync(path.resolve(root, file))
  } catch {
    return null
  }
  return real === realRoot || real.startsWith(realRoot + path.sep) ? real : null
}
