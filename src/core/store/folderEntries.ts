import fs from 'node:fs'

/** Problem text for a file whose name is not valid UTF-8 (the name is shown by its bytes). */
export const NOT_UTF8_NAME =
  'has a file name that is not valid UTF-8 (shown here by its bytes): rename it, then import again'

/** A name as written on disk: ASCII as is, every other byte as \xNN, so nothing is silently replaced. */
export function nameByBytes(name: Buffer): string {
  let out = ''
  for (const b of name)
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

export interface FolderEntry {
  /** The name; for a name that is not valid UTF-8, its bytes as nameByBytes shows them (not a usable path). */
  name: string
  kind: 'file' | 'dir' | 'symlink' | 'other'
  /** Set when the name is not valid UTF-8: Node would silently replace its bytes, so it cannot be opened by name. */
  badName?: true
}

/** Entries of a folder, with symlinks reported instead of followed and non-UTF-8 names flagged. */
export function listFolder(dir: string): FolderEntry[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
    .map((d) => {
      const raw = d.name as unknown as Buffer
      const text = raw.toString('utf8')
      const badName = !Buffer.from(text, 'utf8').equals(raw)
      const kind = d.isSymbolicLink()
        ? ('symlink' as const)
        : d.isFile()
          ? ('file' as const)
          : d.isDirectory()
            ? ('dir' as const)
            : ('other' as const)
      return badName ? { name: nameByBytes(raw), kind, badName: true as const } : { name: text, kind }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
