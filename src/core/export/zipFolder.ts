import fs from 'node:fs'
import path from 'node:path'
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate'

/** Already-compressed formats are stored as they are; deflating them again only costs time. */
const STORED = /\.(png|jpe?g|webp|tiff?|zip|gz)$/i

/** The files below `dir`, as zip entry names (`/` between folders), in a stable order. */
function entriesOf(dir: string, prefix = ''): string[] {
  const out: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const name = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...entriesOf(path.join(dir, e.name), name))
    else if (e.isFile()) out.push(name)
  }
  return out
}

/**
 * Writes every file below `dir` into the zip archive `zipFile` (one file read at a time, so an export of
 * many masks is never whole in memory) and returns the entry names. The archive is written beside its
 * name and renamed into place when complete.
 */
export function zipFolder(dir: string, zipFile: string): string[] {
  const names = entriesOf(dir)
  const partial = `${zipFile}.partial`
  const fd = fs.openSync(partial, 'w')
  let failure: Error | null = null
  try {
    const zip = new Zip((err, chunk) => {
      if (err) failure = err
      else fs.writeSync(fd, chunk)
    })
    for (const name of names) {
      const data = fs.readFileSync(path.join(dir, ...name.split('/')))
      const entry = STORED.test(name) ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 })
      zip.add(entry)
      entry.push(data, true)
    }
    zip.end()
    if (failure) throw failure
    fs.fsyncSync(fd)
  } catch (e) {
    fs.closeSync(fd)
    fs.rmSync(partial, { force: true })
    throw e
  }
  fs.closeSync(fd)
  fs.renameSync(partial, zipFile)
  return names
}
