import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHandlers, type Handlers } from './handlers'
import { ProjectRoots } from './projectRoots'
import { Session } from './session'

let tmp: string
let session: Session
let h: Handlers
const settings = { name: 'P', labelMode: 'multi-class' as const, classes: [] }

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-roots-'))
  fs.mkdirSync(path.join(tmp, 'projects'))
  fs.mkdirSync(path.join(tmp, 'elsewhere'))
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 'test',
    transport: 'http',
    defaultProjectsDir: path.join(tmp, 'projects'),
    projectRoots: [path.join(tmp, 'lab')],
  })
  h = createHandlers(session)
})

afterEach(() => {
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('the API keeps projects and exports inside the allowed folders', () => {
  it('creates projects under the projects folder, the data folder and an operator root', async () => {
    for (const dir of ['projects/a', 'data/projects/b', 'lab/deep/c'])
      await expect(h['project.create']({ ...settings, dir: path.join(tmp, dir) })).resolves.toBeTruthy()
  })

  it('refuses another folder, a new nested folder elsewhere, a relative path and a way out by ..', async () => {
    for (const dir of [
      path.join(tmp, 'elsewhere', 'p'),
      path.join(tmp, 'x', 'y', 'z'),
      path.join(os.homedir(), 's4mi-should-not-exist'),
      '/etc/s4mi',
      'relative/p',
      path.join(tmp, 'projects', '..', 'elsewhere', 'q'),
    ]) {
      await expect(h['project.create']({ ...settings, dir }), dir).rejects.toThrow(/^dir: /)
    }
    expect(fs.readdirSync(path.join(tmp, 'elsewhere'))).toEqual([])
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false)
  })

  it('refuses a symlink inside a root that leads out of it', async () => {
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(tmp, 'projects', 'link'))
    await expect(
      h['project.create']({ ...settings, dir: path.join(tmp, 'projects', 'link', 'p') }),
    ).rejects.toThrow(/outside the folders/)
    expect(fs.readdirSync(path.join(tmp, 'elsewhere'))).toEqual([])
  })

  it('opens, demos and exports only inside the roots', async () => {
    await h['project.create']({ ...settings, dir: path.join(tmp, 'projects', 'ok') })
    await expect(h['project.open']({ dir: path.join(tmp, 'elsewhere') })).rejects.toThrow(/outside/)
    await expect(
      h['demo.create']({ dir: path.join(tmp, 'elsewhere', 'demo'), variant: 'multi-class', seed: 1 }),
    ).rejects.toThrow(/outside/)
    await expect(
      h['annotations.export']({
        dir: path.join(tmp, 'elsewhere', 'out'),
        format: 'masks',
        maskValues: 'index',
        overwrite: false,
      }),
    ).rejects.toThrow(/outside/)
    expect(fs.readdirSync(path.join(tmp, 'elsewhere'))).toEqual([])
    const r = await h['annotations.export']({
      dir: path.join(tmp, 'projects', 'export-1'),
      format: 'masks',
      maskValues: 'index',
      overwrite: false,
    })
    expect(r.files.length).toBeGreaterThan(0)
  })

  it('lists only recent projects inside the roots in serve mode', async () => {
    await h['project.create']({ ...settings, dir: path.join(tmp, 'projects', 'seen') })
    const recentFile = path.join(tmp, 'data', 'recent-projects.json')
    const list = JSON.parse(fs.readFileSync(recentFile, 'utf8')) as { dir: string }[]
    list.push({ ...list[0], dir: '/home/someone-else/secret-project' })
    fs.writeFileSync(recentFile, JSON.stringify(list))
    const status = await h['app.status']({})
    expect(status.recent.map((r) => r.dir)).toEqual([path.join(tmp, 'projects', 'seen')])
  })
})

describe('ProjectRoots', () => {
  it('allows a folder added later (a native dialog pick) and what is below it', () => {
    const roots = new ProjectRoots([path.join(tmp, 'projects')])
    expect(roots.allows(path.join(tmp, 'elsewhere', 'p'))).toBe(false)
    roots.add(path.join(tmp, 'elsewhere'))
    expect(roots.allows(path.join(tmp, 'elsewhere', 'p'))).toBe(true)
    expect(roots.allows(path.join(tmp, 'elsewhere'))).toBe(true)
  })
})
