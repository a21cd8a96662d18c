import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DownloadStaging } from './downloadStaging'

let root: string

afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('DownloadStaging', () => {
  it('hands a download out once, even to a second request while the first is still being sent', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-downloads-'))
    const staging = new DownloadStaging(root)
    const { downloadId, dir } = staging.prepare()
    expect(staging.take(downloadId)).toBeNull()
    const file = path.join(dir, 'export.zip')
    fs.writeFileSync(file, 'zip')
    staging.offer(downloadId, file, 'export.zip')
    expect(staging.take(downloadId)).toEqual({ file, name: 'export.zip' })
    // Not sent yet (not discarded): the file is still there, but nobody else gets it.
    expect(staging.take(downloadId)).toBeNull()
    expect(fs.existsSync(file)).toBe(true)
    staging.discard(downloadId)
    expect(fs.existsSync(dir)).toBe(false)
  })
})
