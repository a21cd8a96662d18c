import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { appFolders } from './appFolders'

const tmp: string[] = []
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('appFolders', () => {
  it('puts data, logs and projects where Windows expects them', () => {
    const f = appFolders({
      platform: 'win32',
      home: 'C:\\Users\\ana',
      env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\ana' },
    })
    expect(f).toEqual({
      data: 'C:\\Users\\ana\\AppData\\Roaming\\S4MI Studio',
      logs: 'C:\\Users\\ana\\AppData\\Roaming\\S4MI Studio\\logs',
      crashDumps: 'C:\\Users\\ana\\AppData\\Roaming\\S4MI Studio\\Crashpad',
      projects: 'C:\\Users\\ana\\Documents\\S4MI Projects',
      nativeBackends: 'C:\\Users\\ana\\AppData\\Roaming\\S4MI Studio\\backends',
    })
  })

  it('puts data in Application Support and logs in ~/Library/Logs on macOS', () => {
    const f = appFolders({ platform: 'darwin', home: '/Users/ana', env: {} })
    expect(f.data).toBe('/Users/ana/Library/Application Support/S4MI Studio')
    expect(f.logs).toBe('/Users/ana/Library/Logs/S4MI Studio')
    expect(f.crashDumps).toBe('/Users/ana/Library/Application Support/S4MI Studio/Crashpad')
    expect(f.projects).toBe('/Users/ana/Documents/S4MI Projects')
  })

  it('follows XDG on Linux: config home, and the documents folder from user-dirs.dirs', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-home-'))
    tmp.push(home)
    const plain = appFolders({ platform: 'linux', home, env: {} })
    expect(plain.data).toBe(path.join(home, '.config', 's4mi-studio'))
    expect(plain.logs).toBe(path.join(home, '.config', 's4mi-studio', 'logs'))
    expect(plain.projects).toBe(path.join(home, 'Documents', 'S4MI Projects'))

    fs.mkdirSync(path.join(home, '.config'))
    fs.writeFileSync(
      path.join(home, '.config', 'user-dirs.dirs'),
      '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/Schreibtisch"\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n',
    )
    expect(appFolders({ platform: 'linux', home, env: {} }).projects).toBe(
      path.join(home, 'Dokumente', 'S4MI Projects'),
    )
    const xdg = appFolders({
      platform: 'linux',
      home,
      env: { XDG_CONFIG_HOME: '/cfg', XDG_DOCUMENTS_DIR: '/data/docs' },
    })
    expect(xdg.data).toBe('/cfg/s4mi-studio')
    expect(xdg.projects).toBe('/data/docs/S4MI Projects')
  })

  it('takes the documents folder the OS reports, and S4MI_HOME for everything of its own', () => {
    const f = appFolders({
      platform: 'darwin',
      home: '/Users/ana',
      env: { S4MI_HOME: '/tmp/s4mi-test-home' },
      documents: '/Volumes/Lab/Documents',
    })
    expect(f).toEqual({
      data: '/tmp/s4mi-test-home',
      logs: '/tmp/s4mi-test-home/logs',
      crashDumps: '/tmp/s4mi-test-home/Crashpad',
      projects: '/Volumes/Lab/Documents/S4MI Projects',
      nativeBackends: '/tmp/s4mi-test-home/backends',
    })
  })

  it('defaults to this process: platform, environment and home', () => {
    const f = appFolders()
    if (process.env.S4MI_HOME) expect(f.data).toBe(path.resolve(process.env.S4MI_HOME))
    else expect(f.data.startsWith(os.homedir()) || !!process.env.XDG_CONFIG_HOME).toBe(true)
    expect(path.basename(f.projects)).toBe('S4MI Projects')
  })
})
