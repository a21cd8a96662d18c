import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRegularFile } from './regularFile'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-weights-read-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('reading a file the user named (issue #19 item 3)', () => {
  it('refuses a named pipe without waiting for a writer, and a device, and a folder', () => {
    const fifo = path.join(tmp, 'pipe.safetensors')
    execFileSync('mkfifo', [fifo])
    expect(() => readRegularFile(fifo, 1024, 'weights file')).toThrow(
      /pipe\.safetensors: not a regular file \(a named pipe\)/,
    )
    expect(() => readRegularFile('/dev/zero', 1024, 'weights file')).toThrow(
      /\/dev\/zero: not a regular file \(a device\)/,
    )
    expect(() => readRegularFile(tmp, 1024, 'weights file')).toThrow(/not a regular file \(a folder\)/)
  })

  it('refuses a file larger than the limit before reading it, and reads a file within it whole', () => {
    const file = path.join(tmp, 'big.safetensors')
    const bytes = Buffer.alloc(4096, 7)
    fs.writeFileSync(file, bytes)
    expect(() => readRegularFile(file, 4095, 'weights file')).toThrow(
      /big\.safetensors: 0\.0 MiB is larger than the 0\.0 MiB a weights file may be/,
    )
    expect(readRegularFile(file, 4096, 'weights file').equals(bytes)).toBe(true)
  })
})
