import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RecentProject } from '../../shared/types'
import { atomicWriteFile } from './atomicWrite'

const MAX_RECENT = 12

/** The app's own data folder (settings, recent projects, imported weights). Overridable for tests. */
export function appDataDir(): string {
  if (process.env.S4MI_HOME) return process.env.S4MI_HOME
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'S4MI Studio')
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Application Support', 'S4MI Studio')
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 's4mi-studio')
}

function file(dataDir: string): string {
  return path.join(dataDir, 'recent-projects.json')
}

export function readRecentProjects(dataDir = appDataDir()): RecentProject[] {
  try {
    const list = JSON.parse(fs.readFileSync(file(dataDir), 'utf8')) as RecentProject[]
    return Array.isArray(list) ? list.filter((p) => typeof p?.dir === 'string') : []
  } catch {
    return []
  }
}

export function rememberProject(
  entry: Omit<RecentProject, 'openedAt'>,
  dataDir = appDataDir(),
): RecentProject[] {
  const list = readRecentProjects(dataDir).filter((p) => p.dir !== entry.dir)
  list.unshift({ ...entry, openedAt: new Date().toISOString() })
  const kept = list.slice(0, MAX_RECENT)
  atomicWriteFile(file(dataDir), JSON.stringify(kept, null, 2))
  return kept
}
