import path from 'node:path'

/** Slide and image types the installers associate with the app (build/electron-builder.yml, fileAssociations). */
export const ASSOCIATED_EXTENSIONS = ['svs', 'ndpi', 'tif', 'tiff'] as const

/**
 * The path the app was asked to open, from a command line: the first launch's process.argv or a second
 * launch's argv (app 'second-instance', with that launch's working directory). Skipped: the executable, in a
 * checkout also the app folder Electron was given (`electron .`), and every switch (Chromium adds its own).
 */
export function pathFromArgv(
  argv: readonly string[],
  where: { packaged: boolean; cwd: string },
): string | null {
  const args = argv.slice(where.packaged ? 1 : 2).filter((a) => a.length > 0 && !a.startsWith('-'))
  const last = args.at(-1)
  return last ? path.resolve(where.cwd, last) : null
}

/** What to do with a path from the OS: open a project folder, import a slide or image, or say no. */
export function openRequest(
  file: string,
  isDirectory: boolean,
): { kind: 'project' | 'import'; path: string } | null {
  if (isDirectory) return { kind: 'project', path: file }
  const ext = path.extname(file).slice(1).toLowerCase()
  return (ASSOCIATED_EXTENSIONS as readonly string[]).includes(ext) ? { kind: 'import', path: file } : null
}
