import fs from 'node:fs'
import path from 'node:path'
import type { RecentProject } from '../../shared/types'
import { atomicWriteFile } from './atomicWrite'

const MAX_RECENT = 12

function file(dataDir: string): string {
  return path.join(dataDir, 'recent-projects.json')
}

/** The recent projects listed in the app data folder (see appFolders), newest first. */
export function readRecentProjects(dataDir: string): RecentProject[] {
  try {
    const list = JSON.parse(fs.readFileSync(file(dataDir), 'utf8')) as RecentProject[]
    return Array.isArray(list) ? list.filter((p) => typeof p?.dir === 'string') : []
  } catch {
    return []
  }
}

export function rememberProject(entry: Omit<RecentProject, 'openedAt'>, dataDir: string): RecentProject[] {
  const list = readRecentProjects(dataDir).filter((p) => p.dir !== entry.dir)
  list.unshift({ ...entry, openedAt: new Date().toISOString() })
  const kept = list.slice(0, MAX_RECENT)
  atomicWriteFile(file(dataDir), JSON.stringify(kept, null, 2))
  return kept
}
