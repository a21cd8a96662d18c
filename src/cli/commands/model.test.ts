import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { closeProject, createProject, openProject } from '../../core/store/project'
import { runCli } from '../main'

// `s4mi model import` reads the files it is given as the app reads every file a user names (issue #19):
// regular files only, under a limit, with a message naming the file, and the project left as it was.
let dir: string
let project: string

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-model-'))
  project = path.join(dir, 'p')
  closeProject(
    createProject(project, {
      name: 'p',
      labelMode: 'multi-class',
      classes: [],
      maskClasses: [{ name: 'lesion' }],
    }),
  )
})

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function importModel(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = []
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true))
  try {
    const code = await runCli(['node', 's4mi', 'model', 'import', project, ...args])
    return { code, err: err.join('') }
  } finally {
    error.mockRestore()
    write.mockRestore()
  }
}

function runCount(): number {
  const p = openProject(project)
  try {
    return (p.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n
  } finally {
    closeProject(p)
  }
}

describe('s4mi model import with hostile files', () => {
  it('refuses a named pipe as weights without waiting for a writer', async () => {
    const card = path.join(dir, 'pipe.model.json')
    fs.writeFileSync(
      card,
      JSON.stringify({ format: 's4mi-model-card', version: 1, weights: { sha256: 'x' } }),
    )
    const fifo = path.join(dir, 'pipe.safetensors')
    execFileSync('mkfifo', [fifo])
    const r = await importModel([fifo])
    expect(r.code).not.toBe(0)
    expect(r.err).toContain(`weights: ${fifo}: not a regular file (a named pipe)`)
    expect(runCount()).toBe(0)
  })

  it('refuses a device as the model card, naming it', async () => {
    const weights = path.join(dir, 'w.safetensors')
    fs.writeFileSync(weights, Buffer.alloc(16))
    const r = await importModel([weights, '--card', '/dev/zero'])
    expect(r.err).toContain('card: /dev/zero: not a regular file (a device)')
    expect(runCount()).toBe(0)
  })

  it('says which file is missing, is not JSON, or is not a model card', async () => {
    const weights = path.join(dir, 'm.safetensors')
    fs.writeFileSync(weights, Buffer.alloc(16))
    expect((await importModel([weights])).err).toMatch(
      /card: .*m\.model\.json: cannot be read \(ENOENT\) \(pass --card\)/,
    )
    fs.writeFileSync(path.join(dir, 'm.model.json'), '{ not json')
    expect((await importModel([weights])).err).toContain(
      `card: ${path.join(dir, 'm.model.json')} is not JSON`,
    )
    fs.writeFileSync(path.join(dir, 'm.model.json'), '{"format": "s4mi-model-card"}')
    expect((await importModel([weights])).err).toContain(
      'has no weights.sha256, so it is not an S4MI model card',
    )
    expect(runCount()).toBe(0)
  })
})
