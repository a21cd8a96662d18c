import fs from 'node:fs'
import path from 'node:path'

/** The app's version from the nearest package.json above this file (the bundle or the source). */
export function appVersion(): string {
  let dir = __dirname
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 's4mi-studio' && pkg.version) return pkg.version
    }
    dir = path.dirname(dir)
  }
  return '0.0.0'
}
