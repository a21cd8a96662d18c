import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

function isEmptyFolder(dir: string): boolean {
  return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0
}

/**
 * Where every annotation export goes: a new (or empty) folder, written next to it first and renamed into
 * place when complete, so a failed export leaves nothing half-written; a folder that already holds files
 * is refused unless `overwrite` is set (then our files are written into it, each atomically).
 * `write` puts the files into the folder it is given.
 */
export async function writeExportFolder<T>(
  dir: string,
  overwrite: boolean | undefined,
  write: (into: string) => Promise<T>,
): Promise<T> {
  const exists = fs.existsSync(dir)
  if (exists && !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is a file, not a folder`)
  if (exists && !isEmptyFolder(dir) && !overwrite)
    throw new Error(
      `${dir} already holds files: export to a new folder, or allow replacing files there (overwrite)`,
    )
  if (exists && !isEmptyFolder(dir)) return write(dir)
  const staging = `${path.resolve(dir)}.export-${randomBytes(4).toString('hex')}.partial`
  try {
    const result = await write(staging)
    if (exists) fs.rmdirSync(dir)
    fs.renameSync(staging, dir)
    return result
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}
