import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { writeFolderDataset } from '../../core/data/datasetFixtures'
import { listImages } from '../../core/store/images'
import { closeProject, isProjectDir, openProject } from '../../core/store/project'
import { runCli } from '../main'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('s4mi import', () => {
  it('creates the project, imports a folder and prints a JSON summary', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-import-'))
    dirs.push(dir)
    await writeFolderDataset(
      path.join(dir, 'data'),
      [{ name: 'a.png', width: 9, height: 7, labels: [0] }],
      ['x'],
    )
    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const code = await runCli([
      'node',
      's4mi',
      'import',
      '--format',
      'folder',
      path.join(dir, 'data'),
      path.join(dir, 'p'),
      '--json',
    ])
    expect(code).toBe(0)
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      images: 1,
      tiles: 1,
      labelled: 1,
      classesAdded: ['x'],
    })
    const project = openProject(path.join(dir, 'p'))
    expect(listImages(project).map((i) => i.name)).toEqual(['images/a.png'])
    closeProject(project)
  })

  it('lists every problem on stderr, exits non-zero and leaves no half-made project', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-import-'))
    dirs.push(dir)
    await writeFolderDataset(
      path.join(dir, 'data'),
      [{ name: 'a.png', width: 9, height: 7, labels: [0] }],
      ['x'],
    )
    fs.appendFileSync(path.join(dir, 'data/labels.csv'), 'ghost.png,1\n')
    const err: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0)
    const code = await runCli([
      'node',
      's4mi',
      'import',
      '--format',
      'folder',
      path.join(dir, 'data'),
      path.join(dir, 'p'),
    ])
    expect(code).toBe(1)
    expect(err.join('')).toContain('labels.csv row 3: names "ghost.png", which is not in images/')
    expect(err.at(-1)).toMatch(/^s4mi: import refused: 1 problem\(s\)/)
    expect(isProjectDir(path.join(dir, 'p'))).toBe(false)
  })
})
