import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RotatingLog } from './rotatingLog'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function logsDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-logs-'))
  dirs.push(d)
  return path.join(d, 'logs')
}
const t = new Date('2026-12-02T17:00:00.000Z')
// Each line: "2026-12-02T17:00:00.000Z " (25 bytes) + 5 characters + "\n" = 31 bytes.
const LINE = 31

describe('the app log rotates by size', () => {
  it('moves the file aside when the next line would pass the limit, keeping the newest ones', () => {
    const dir = logsDir()
    const log = new RotatingLog(dir, { maxBytes: 2 * LINE, keep: 2 })
    for (let i = 0; i < 7; i++) log.write(`line${i}`, t)
    const read = (f: string) =>
      fs
        .readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.slice(25))
    expect(read(log.file)).toEqual(['line6'])
    expect(read(log.rotated(1))).toEqual(['line4', 'line5'])
    expect(read(log.rotated(2))).toEqual(['line2', 'line3'])
    expect(fs.readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log'])
    for (const f of fs.readdirSync(dir))
      expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2 * LINE)
  })

  it('counts what an earlier launch wrote', () => {
    const dir = logsDir()
    new RotatingLog(dir, { maxBytes: 2 * LINE }).write('first', t)
    const again = new RotatingLog(dir, { maxBytes: 2 * LINE })
    again.write('secnd', t)
    again.write('third', t)
    expect(fs.readFileSync(again.rotated(1), 'utf8')).toContain('first')
    expect(fs.readFileSync(again.file, 'utf8')).toBe(`${t.toISOString()} third\n`)
  })

  it('keeps one long line whole, and indents the lines of a multi-line message', () => {
    const dir = logsDir()
    const log = new RotatingLog(dir, { maxBytes: 10 })
    log.write('a message far longer than the limit', t)
    log.write('Error: x\nat y', t)
    expect(fs.readFileSync(log.rotated(1), 'utf8')).toContain('far longer than the limit')
    expect(fs.readFileSync(log.file, 'utf8')).toBe(`${t.toISOString()} Error: x\n    at y\n`)
  })

  it('a log that cannot be written (its folder removed, a full disk) loses the line, not the app', () => {
    const dir = logsDir()
    const log = new RotatingLog(dir)
    fs.rmSync(dir, { recursive: true })
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(() => log.write('after the folder went', t)).not.toThrow()
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/main\.log: ENOENT.*after the folder went/)
    } finally {
      stderr.mockRestore()
    }
  })
})
