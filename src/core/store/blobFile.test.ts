import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hashFile, putBlobFile } from './blobFile'
import { BlobStore } from './blobStore'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('putBlobFile (streamed blobs for big slides)', () => {
  it('stores a file under the same hash BlobStore.put would give, once, leaving no temp files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-blobfile-'))
    dirs.push(dir)
    const data = Buffer.alloc(5 << 20)
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 12)) & 255
    const file = path.join(dir, 'slide.tif')
    fs.writeFileSync(file, data)
    const blobs = new BlobStore(path.join(dir, 'blobs'))
    const first = await putBlobFile(blobs, file)
    expect(first).toEqual({ hash: BlobStore.hash(data), created: true })
    expect(await hashFile(file)).toBe(first.hash)
    expect(blobs.get(first.hash).equals(data)).toBe(true)
    expect(await putBlobFile(blobs, file)).toEqual({ hash: first.hash, created: false })
    expect(fs.readdirSync(path.join(dir, 'blobs', 'tmp'))).toEqual([])
  })

  it('names the file when it cannot be read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-blobfile-'))
    dirs.push(dir)
    const blobs = new BlobStore(path.join(dir, 'blobs'))
    await expect(putBlobFile(blobs, path.join(dir, 'missing.tif'))).rejects.toThrow(/missing\.tif/)
  })
})

describe('blob reads stay inside the blob folder', () => {
  it('refuses a blob that is a symlink leading out of it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-blob-link-'))
    const store = new BlobStore(path.join(dir, 'blobs'))
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'secret')
    const hash = 'ab'.repeat(32)
    fs.mkdirSync(path.dirname(store.pathOf(hash)), { recursive: true })
    fs.symlinkSync(path.join(dir, 'outside.txt'), store.pathOf(hash))
    expect(() => store.get(hash)).toThrow(/missing/)
    const real = store.put(Buffer.from('inside'))
    expect(store.get(real).toString()).toBe('inside')
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
