import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Where S4MI Studio keeps things on this machine. One function for the desktop app, serve mode and the CLI,
 * so all three read the same recent projects and weights, and so path confinement has one answer.
 */
export interface AppFolders {
  /** The app's own data: recent projects, settings, window state, the weights cache (Electron's `userData`). */
  data: string
  /** Log files, rotated (Electron's `logs` path: ~/Library/Logs on macOS, inside `data` elsewhere). */
  logs: string
  /** Crash reports, kept on this machine only (Electron's `crashDumps`). */
  crashDumps: string
  /** Where new projects go unless the user picks another folder: one folder in the user's documents. */
  projects: string
  /**
   * Where a user installs `@tensorflow/tfjs-node` or `-node-gpu` for the installed app (its own node_modules):
   * the installers do not carry libtensorflow, and a packaged app cannot see a global npm install.
   */
  nativeBackends: string
}

export interface AppFolderOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  home?: string
  /** The documents folder as the OS reports it (the desktop app passes Electron's); else found as below. */
  documents?: string
}

/** Electron names `userData` after the product (macOS, Windows) or the package (Linux's convention). */
export const PRODUCT_NAME = 'S4MI Studio'
const LINUX_NAME = 's4mi-studio'
export const PROJECTS_FOLDER_NAME = 'S4MI Projects'

/** The app data folder. `S4MI_HOME` overrides it (tests, portable installs); else where Electron puts it. */
function dataFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (env.S4MI_HOME) return path.resolve(env.S4MI_HOME)
  if (platform === 'win32')
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), LINUX_NAME)
}

/** XDG_DOCUMENTS_DIR from the environment or ~/.config/user-dirs.dirs (localised names such as ~/Dokumente). */
function linuxDocuments(env: NodeJS.ProcessEnv, home: string): string | null {
  const expand = (v: string) => v.replace(/^"|"$/g, '').replace(/^\$HOME(?=\/|$)/, home)
  if (env.XDG_DOCUMENTS_DIR) return expand(env.XDG_DOCUMENTS_DIR)
  const file = path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'user-dirs.dirs')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const line = /^XDG_DOCUMENTS_DIR=(.+)$/m.exec(text)
  if (!line) return null
  const dir = expand(line[1].trim())
  return path.posix.isAbsolute(dir) ? dir : null
}

function documentsFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return path.win32.join(env.USERPROFILE || home, 'Documents')
  if (platform === 'darwin') return path.posix.join(home, 'Documents')
  return linuxDocuments(env, home) ?? path.posix.join(home, 'Documents')
}

export function appFolders(options: AppFolderOptions = {}): AppFolders {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  const home = options.home ?? os.homedir()
  const join = platform === 'win32' ? path.win32.join : path.posix.join
  const data = dataFolder(platform, env, home)
  const logs =
    platform === 'darwin' && !env.S4MI_HOME
      ? path.posix.join(home, 'Library', 'Logs', PRODUCT_NAME)
      : join(data, 'logs')
  return {
    data,
    logs,
    crashDumps: join(data, 'Crashpad'),
    projects: join(options.documents ?? documentsFolder(platform, env, home), PROJECTS_FOLDER_NAME),
    nativeBackends: join(data, 'backends'),
  }
}
