import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { listImages } from '../store/images'
import { closeProject, createProject, type Project } from '../store/project'
import { pngClaiming, writeFolderDataset, writeImage, writeMask } from './datasetFixtures'
import { importDataset } from './importDataset'
import { ImportCancelled, ImportError } from './importError'
import { importImages } from './importImages'

const dirs: string[] = []
const projects: Project[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bad-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const p of projects.splice(0)) closeProject(p)
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A project that already holds one imported image, so "left as it was" is checked against real content. */
async function projectWithOneImage(): Promise<Project> {
  const project = createProject(path.join(tmp(), 'proj'), {
    name: 't',
    labelMode: 'multi-class',
    classes: [],
  })
  projects.push(project)
  const seedRoot = tmp()
  await writeFolderDataset(
    seedRoot,
    [{ name: 'first.png', width: 12, height: 9, labels: [0], mask: true }],
    ['lesion'],
    500,
  )
  await importDataset(project, { format: 'folder', path: seedRoot }, { tileSize: 8 })
  return project
}

function snapshot(project: Project) {
  const count = (t: string) => (project.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n
  return {
    rows: ['images', 'tiles', 'classes', 'image_labels', 'mask_revisions', 'splits'].map(count),
    blobs: project.blobs.list().sort(),
  }
}

/** Imports a folder expected to fail; returns its problems as "file: problem" and checks nothing changed. */
async function problemsOf(root: string): Promise<string[]> {
  const project = await projectWithOneImage()
  const before = snapshot(project)
  const err = await importDataset(project, { format: 'folder', path: root }, { tileSize: 8 }).catch((e) => e)
  expect(err).toBeInstanceOf(ImportError)
  expect(snapshot(project)).toEqual(before)
  return (err as ImportError).problems.map((p) => `${p.file}: ${p.problem}`)
}

const good = [
  { name: 'a.png', width: 10, height: 8, labels: [0], mask: true },
  { name: 'b.jpg', width: 10, height: 8, labels: [1], mask: true },
  { name: 'c.png', width: 10, height: 8, labels: [1] },
]

describe('bad input is refused per file and leaves the project as it was', () => {
  it('corrupt and truncated JPEG and PNG files', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    fs.writeFileSync(path.join(root, 'images/c.png'), Buffer.from('this is not an image at all'))
    fs.rmSync(path.join(root, 'masks'), { recursive: true })
    // Big enough that the header survives the cut: the scan data is what is missing.
    await writeImage(path.join(root, 'images/b.jpg'), { width: 64, height: 48, seed: 99 })
    const jpg = fs.readFileSync(path.join(root, 'images/b.jpg'))
    fs.writeFileSync(path.join(root, 'images/b.jpg'), jpg.subarray(0, Math.floor(jpg.length * 0.7)))
    const png = fs.readFileSync(path.join(root, 'images/a.png'))
    fs.writeFileSync(path.join(root, 'images/a.png'), png.subarray(0, png.length - 40))
    const p = await problemsOf(root)
    expect(p).toHaveLength(3)
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^images\/a.png: cannot be decoded \(corrupt or truncated\?\)/),
        expect.stringMatching(/^images\/b.jpg: cannot be decoded \(corrupt or truncated\?\)/),
        expect.stringMatching(/^images\/c.png: is not a readable image/),
      ]),
    )
  })

  it('a PNG claiming 100,000 × 100,000 pixels, as an image and as a mask, is refused at once', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    fs.writeFileSync(path.join(root, 'images/c.png'), pngClaiming(100_000))
    fs.writeFileSync(path.join(root, 'masks/a.png'), pngClaiming(60_000))
    const started = Date.now()
    const p = await problemsOf(root)
    // The header is checked before any decode: no ten-minute hang (issue #19 item 3).
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^images\/c.png: is larger than 50,000 × 50,000 pixels.*pyramidal TIFF/),
        expect.stringMatching(/^masks\/a.png: mask is larger than 50,000 × 50,000 pixels/),
      ]),
    )
  })

  it('a PNG bomb alone is refused within a second, the project as it was (Done-when of issue #19)', async () => {
    const bomb = path.join(tmp(), 'bomb.png')
    fs.writeFileSync(bomb, pngClaiming(100_000))
    const project = await projectWithOneImage()
    const before = snapshot(project)
    const started = performance.now()
    const refused = await importImages(project, [bomb]).catch((e: ImportError) => e)
    const took = performance.now() - started
    expect(took).toBeLessThan(1000)
    expect((refused as ImportError).problems).toEqual([
      { file: 'bomb.png', problem: expect.stringMatching(/^is larger than 50,000 × 50,000 pixels/) },
    ])
    expect(snapshot(project)).toEqual(before)
  })

  it('a mask whose size differs from its image, and mask values other than 0/255 or class indices', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    await writeMask(path.join(root, 'masks/a.png'), 11, 8)
    const grey = Buffer.alloc(80, 0)
    grey[5] = 128
    grey[6] = 255
    await writeMask(path.join(root, 'masks/b.png'), 10, 8, grey)
    expect(await problemsOf(root)).toEqual([
      'masks/a.png: mask is 11 × 8 but its image images/a.png is 10 × 8',
      'masks/b.png: mask values must be 0/255 or class indices 0..1; found 128, 255',
    ])
  })

  it('accepts masks of class values up to the mask classes mask_classes.csv names', async () => {
    const root = tmp()
    await writeFolderDataset(root, good.slice(0, 1), ['x', 'y'])
    fs.writeFileSync(path.join(root, 'mask_classes.csv'), 'value,name\n1,tumour\n2,stroma\n3,necrosis\n')
    const idx = Buffer.alloc(80, 0)
    idx[1] = 1
    idx[2] = 2
    idx[3] = 3
    await writeMask(path.join(root, 'masks/a.png'), 10, 8, idx)
    const project = await projectWithOneImage()
    await expect(
      importDataset(project, { format: 'folder', path: root }, { tileSize: 8 }),
    ).resolves.toMatchObject({ masks: 1 })
  })

  it('CSV rows naming missing images or paths outside, repeated rows, bad cells', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    fs.writeFileSync(
      path.join(root, 'labels.csv'),
      'image,x,y\na.png,1.0,0.0\nb,0,1\nghost.png,1,0\n../../etc/passwd,1,0\na.png,0,1\nc.png,2,0\n',
    )
    expect(await problemsOf(root)).toEqual([
      'labels.csv row 4: names "ghost.png", which is not in images/',
      'labels.csv row 5: names "../../etc/passwd": a path leading outside images/ is refused',
      'labels.csv row 6: labels "a.png" a second time',
      'labels.csv row 7: column x must be 0 or 1, got "2"',
    ])
  })

  it('images missing from the CSV', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    fs.writeFileSync(path.join(root, 'labels.csv'), 'image,x,y\na.png,1,0\n')
    expect(await problemsOf(root)).toEqual([
      'images/b.jpg: is missing from labels.csv',
      'images/c.png: is missing from labels.csv',
    ])
  })

  it('duplicate images (same content), within the import and against the project', async () => {
    const root = tmp()
    await writeFolderDataset(root, good, ['x', 'y'])
    fs.copyFileSync(path.join(root, 'images/a.png'), path.join(root, 'images/d.png'))
    fs.appendFileSync(path.join(root, 'labels.csv'), 'd.png,1,0\n')
    const p = await problemsOf(root)
    expect(p).toEqual([
      expect.stringMatching(/^images\/(a|d).png: duplicate image: same content as images\/(a|d).png$/),
    ])

    const project = await projectWithOneImage()
    const again = tmp()
    await writeFolderDataset(again, [{ name: 'copy.png', width: 12, height: 9 }], [], 500)
    const err = (await importDataset(project, { format: 'folder', path: again }).catch(
      (e) => e,
    )) as ImportError
    expect(err.problems).toEqual([
      { file: 'images/copy.png', problem: 'duplicate image: already in this project' },
    ])
  })

  it('symbolic links, including a masks/ folder that leads elsewhere', async () => {
    const root = tmp()
    const outside = tmp()
    await writeFolderDataset(root, good.slice(0, 2), [])
    await writeFolderDataset(outside, [{ name: 'secret.png', width: 5, height: 5, mask: true }], [], 77)
    fs.symlinkSync(path.join(outside, 'images/secret.png'), path.join(root, 'images/secret.png'))
    fs.rmSync(path.join(root, 'masks'), { recursive: true })
    fs.symlinkSync(path.join(outside, 'masks'), path.join(root, 'masks'))
    expect(await problemsOf(root)).toEqual([
      'images/secret.png: is a symbolic link (refused: it may lead outside the import folder)',
      'masks/: is a symbolic link (refused: it may lead outside the import folder)',
    ])
  })

  it('an images/ folder that is a symbolic link is named as one', async () => {
    const root = tmp()
    const outside = tmp()
    await writeFolderDataset(outside, good.slice(0, 1), [])
    fs.symlinkSync(path.join(outside, 'images'), path.join(root, 'images'))
    expect(await problemsOf(root)).toEqual([
      'images/: is a symbolic link (refused: it may lead outside the import folder)',
    ])
  })

  it('a file name that is not UTF-8 is reported by its bytes, not as a missing file', async () => {
    const root = tmp()
    await writeFolderDataset(root, good.slice(0, 2), [])
    // "caf\xE9.png" in Latin-1: a name many older scanners and Windows shares still write.
    const latin1 = Buffer.concat([
      Buffer.from(path.join(root, 'images') + '/caf'),
      Buffer.from([0xe9]),
      Buffer.from('.png'),
    ])
    fs.copyFileSync(path.join(root, 'images/a.png'), latin1)
    const problems = await problemsOf(root)
    expect(problems).toEqual([
      expect.stringMatching(/^images\/caf\\xE9\.png: has a file name that is not valid UTF-8/),
    ])
    expect(problems.join()).not.toMatch(/ENOENT|not found/)
  })

  it('single images: a symlink and a non-UTF-8 name in the folder are refused by name', async () => {
    const { imagesInFolder } = await import('./importImages')
    const root = tmp()
    await writeImage(path.join(root, 'ok.png'), { width: 6, height: 6, seed: 9 })
    fs.symlinkSync(path.join(root, 'ok.png'), path.join(root, 'link.png'))
    fs.copyFileSync(
      path.join(root, 'ok.png'),
      Buffer.concat([Buffer.from(root + '/x'), Buffer.from([0xff]), Buffer.from('.png')]),
    )
    const listed = imagesInFolder(root)
    expect(listed.files).toEqual([path.join(root, 'ok.png')])
    expect(listed.problems.map((p) => p.file)).toEqual(['link.png', 'x\\xFF.png'])
    const project = await projectWithOneImage()
    const before = snapshot(project)
    await expect(importImages(project, listed.files, {}, listed.problems)).rejects.toThrow(/symbolic link/)
    expect(snapshot(project)).toEqual(before)
  })

  it.skipIf(process.getuid?.() === 0)('unreadable files', async () => {
    const root = tmp()
    await writeFolderDataset(root, good.slice(0, 1), [])
    fs.chmodSync(path.join(root, 'images/a.png'), 0o000)
    expect(await problemsOf(root)).toEqual([expect.stringMatching(/^images\/a.png: cannot be read: EACCES/)])
  })

  it('unreadable files (a read failing with EACCES, simulated so it also runs as root)', async () => {
    const root = tmp()
    await writeFolderDataset(root, good.slice(0, 2), [])
    const locked = path.join(root, 'images/b.jpg')
    const real = fs.readFileSync
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((
      file: fs.PathOrFileDescriptor,
      ...rest: unknown[]
    ) => {
      if (file === locked)
        throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' })
      return (real as (...a: unknown[]) => unknown)(file, ...rest)
    }) as typeof fs.readFileSync)
    try {
      expect(await problemsOf(root)).toEqual([
        `images/b.jpg: cannot be read: EACCES: permission denied, open '${locked}'`,
      ])
    } finally {
      spy.mockRestore()
    }
  })

  it('unreadable files (as root: a directory where a file should be)', async () => {
    const root = tmp()
    await writeFolderDataset(root, good.slice(0, 1), [])
    fs.mkdirSync(path.join(root, 'images/dir.png'))
    expect(await problemsOf(root)).toEqual([
      'images/dir.png: is not a regular file (subfolders are not read here)',
    ])
  })

  it('single images that do not exist or are not images', async () => {
    const project = await projectWithOneImage()
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x')
    const err = (await importImages(project, [path.join(dir, 'nope.png'), path.join(dir, 'notes.txt')]).catch(
      (e) => e,
    )) as ImportError
    expect(err.problems.map((p) => p.problem)).toEqual(['file not found', 'is not a PNG, JPEG or TIFF file'])
  })
})

describe('cancel and progress', () => {
  it('reports progress per file and a cancel leaves the project and its blobs as they were', async () => {
    const root = tmp()
    await writeFolderDataset(
      root,
      Array.from({ length: 8 }, (_, i) => ({
        name: `i${i}.png`,
        width: 20,
        height: 12,
        labels: [i % 2],
        mask: true,
      })),
      ['x', 'y'],
    )
    const project = await projectWithOneImage()
    const before = snapshot(project)
    const controller = new AbortController()
    const seen: [number, number, string][] = []
    const err = await importDataset(
      project,
      { format: 'folder', path: root },
      {
        tileSize: 8,
        signal: controller.signal,
        onProgress: (done, total, file) => {
          seen.push([done, total, file])
          if (done === 3) controller.abort()
        },
      },
    ).catch((e) => e)
    expect(err).toBeInstanceOf(ImportCancelled)
    expect(seen[0][1]).toBe(8)
    expect(seen.length).toBeGreaterThanOrEqual(3)
    expect(seen.length).toBeLessThan(8)
    expect(snapshot(project)).toEqual(before)
    expect(listImages(project)).toHaveLength(1)
    // The same import, not cancelled, goes through.
    await expect(
      importDataset(project, { format: 'folder', path: root }, { tileSize: 8 }),
    ).resolves.toMatchObject({ images: 8 })
  })
})
