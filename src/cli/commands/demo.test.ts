import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { closeProject, openProject } from '../../core/store/project'
import { projectCounts } from '../../core/store/projectInfo'
import { runCli } from '../main'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-demo-'))
  dirs.push(d)
  return d
}

/** Runs `s4mi demo …`, capturing stdout (console.log) and stderr. */
async function demo(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0)
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0)
  const code = await runCli(['node', 's4mi', 'demo', ...args])
  vi.restoreAllMocks()
  return { code, out: out.join(''), err: err.join('') }
}

describe('s4mi demo', () => {
  it('creates a demo project, with progress on stderr and the info as JSON on stdout', async () => {
    const out = path.join(tmp(), 'demo')
    const r = await demo('--out', out, '--variant', 'multi-label', '--count', '5', '--seed', '3', '--json')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/generating 5\/5/)
    expect(r.err).toMatch(/importing 5\/5/)
    const info = JSON.parse(r.out)
    expect(info).toMatchObject({ labelMode: 'multi-label', counts: { images: 5, masks: 5, splits: 1 } })
    const p = openProject(out)
    expect(projectCounts(p).labelledImages).toBe(5)
    closeProject(p)
  })

  it('--folder-only writes the folder-import layout and no project', async () => {
    const out = path.join(tmp(), 'data')
    const r = await demo('--out', out, '--count', '3', '--folder-only')
    expect(r.code).toBe(0)
    expect(fs.readdirSync(out).sort()).toEqual(['images', 'labels.csv', 'mask_classes.csv', 'masks'])
    expect(fs.readdirSync(path.join(out, 'images'))).toHaveLength(3)
  })

  it('prints help', async () => {
    const r = await demo('--help')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/--variant/)
    expect(r.out).toMatch(/--seed/)
  })

  it('refuses bad input with one line on stderr and a non-zero exit, creating nothing', async () => {
    const busy = tmp()
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'x')
    const fresh = path.join(tmp(), 'demo')
    const cases: [string[], RegExp][] = [
      [['--out', busy, '--count', '2'], /not empty/],
      [['--out', fresh, '--variant', 'binary'], /variant/],
      [['--out', fresh, '--count', 'abc'], /--count/],
      [['--out', fresh, '--count', '0'], /--count/],
      [['--out', fresh, '--seed', '-3'], /--seed/],
      [['--out', fresh, '--seed', '1.5'], /--seed/],
      [['--out', fresh, '--label-fraction', '150'], /--label-fraction/],
      [['--out', fresh, '--label-fraction', '0'], /--label-fraction/],
      [['--count', '2'], /--out/],
    ]
    for (const [args, message] of cases) {
      const r = await demo(...args)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.err, args.join(' ')).toMatch(message)
      expect(r.err.trim().split('\n')[0], args.join(' ')).toMatch(/^s4mi: /)
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('s4mi:')),
        args.join(' '),
      ).toHaveLength(1)
    }
    expect(fs.readdirSync(busy)).toEqual(['keep.txt'])
    expect(fs.existsSync(fresh)).toBe(false)
  })
})
