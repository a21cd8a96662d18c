import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importPretrainedWeights } from './pretrainedCache'
import { readWeightsFile } from './weightsFileRead'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-weights-read-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('reading a weights file the user named (issue #19 item 3)', () => {
  it('refuses a named pipe without waiting for a writer, and a device, and a folder', () => {
    const fifo = path.join(tmp, 'pipe.safetensors')
    execFileSync('mkfifo', [fifo])
    expect(() => readWeightsFile(fifo)).toThrow(/pipe\.safetensors: not a regular file \(a named pipe\)/)
    expect(() => readWeightsFile('/dev/zero')).toThrow(/\/dev\/zero: not a regular file \(a device\)/)
    expect(() => readWeightsFile(tmp)).toThrow(/not a regular file \(a folder\)/)
  })

  it('refuses a file larger than the limit before reading it, and reads a file within it whole', () => {
    const file = path.join(tmp, 'big.safetensors')
    const bytes = Buffer.alloc(4096, 7)
    fs.writeFileSync(file, bytes)
    expect(() => readWeightsFile(file, 4095)).toThrow(/big\.safetensors: .* GiB is larger than the .* GiB/)
    expect(readWeightsFile(file, 4096).equals(bytes)).toBe(true)
  })

  it('never quotes the content of a file that is not weights', () => {
    // A probe of a system file: the old parser put its first 8 bytes into the message as a number, and
    // JSON.parse's message quoted the header text.
    const secret = 'root:$6$SECRETSALT$hashhashhash:19000:0:99999:7:::\n'
    const probe = path.join(tmp, 'shadow')
    fs.writeFileSync(probe, secret)
    const small = Buffer.alloc(8)
    small.writeBigUInt64LE(BigInt(11))
    const badJson = path.join(tmp, 'json.safetensors')
    fs.writeFileSync(badJson, Buffer.concat([small, Buffer.from('{"SECRET":1')]))
    const { rejected } = importPretrainedWeights([probe, badJson], path.join(tmp, 'cache'))
    expect(rejected).toHaveLength(2)
    const header8 = Buffer.from(secret).readBigUInt64LE(0).toString()
    for (const r of rejected) {
      expect(r.reason).not.toMatch(/SECRET|root|hash/)
      expect(r.reason).not.toContain(header8)
    }
    expect(rejected[0].reason).toMatch(/shadow: not a valid safetensors file: its first 8 bytes/)
    expect(rejected[1].reason).toMatch(/json\.safetensors: .*header is not UTF-8 JSON/)
  })
})
