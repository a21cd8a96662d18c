import fs from 'node:fs'
import path from 'node:path'
import { atomicWriteFile } from './atomicWrite'

/** Settings of the app itself (not of a project), kept in its data folder beside the recent projects. */
export interface AppSettings {
  /** CPU threads training may use; absent: all cores but one. */
  trainingThreads?: number
}

function file(dataDir: string): string {
  return path.join(dataDir, 'settings.json')
}

export function readAppSettings(dataDir: string): AppSettings {
  try {
    const parsed = JSON.parse(fs.readFileSync(file(dataDir), 'utf8')) as AppSettings
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {}
  }
}

/** Merges `change` into the stored settings, atomically. */
export function updateAppSettings(dataDir: string, change: Partial<AppSettings>): AppSettings {
  const next = { ...readAppSettings(dataDir), ...change }
  atomicWriteFile(file(dataDir), JSON.stringify(next, null, 2))
  return next
}
