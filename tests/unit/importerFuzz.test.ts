// Fuzzing every importer with hostile files: the ISIC-2017 and Dermofit layouts, masks and labels read back
// (PNG, COCO, CSV), QuPath GeoJSON, ImageNet weights and whole-slide files. Truncated, zero-byte, bombs,
// wrong mask sizes and values, hostile CSVs, FIFOs, devices, symlinks, non-UTF-8 names: each must be
// answered cleanly (never a 500, never a hang, never a crash) and, refused, leave the project as it was.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { pngClaiming, writeDermofit, writeIsic2017, writeMask } from '../../src/core/data/datasetFixtures'
import { encodeSafetensors } from '../../src/core/models/nn/safetensors'
import { useFuzzServer, type Reply } from './fuzzServer'

const fuzz = useFuzzServer('importers')
const { root, failures, post, tryInput, jobReply } = fuzz

/** A hostile change to a folder that holds one good copy of a dataset. */
type Spoil = (dir: string) => Promise<unknown> | unknown

/** Writers waiting on FIFOs: ended after each case. */
const writers: ChildProcess[] = []
afterEach(() => {
  for (const w of writers.splice(0)) w.kill('SIGKILL')
})

/**
 * A FIFO in place of `file`, with a writer that opens it 6 s later: a reader that opens it blocks the
 * server's thread until then (a stall the harness counts as a hang) instead of for ever.
 */
function fifo(file: string): void {
  fs.rmSync(file, { recursive: true, force: true })
  execFileSync('mkfifo', [file])
  writers.push(spawn('sh', ['-c', 'sleep 6; exec 3>"$0"', file], { stdio: 'ignore' }))
}

/** `file` replaced by a symlink to `target`. */
function link(file: string, target: string): void {
  fs.rmSync(file, { recursive: true, force: true })
  fs.symlinkSync(target, file)
}

/** A sparse file of `bytes`: a huge file that costs nothing to write. */
function huge(file: string, bytes: number): void {
  fs.rmSync(file, { recursive: true, force: true })
  fs.closeSync(fs.openSync(file, 'w'))
  fs.truncateSync(file, bytes)
}

const truncate = (file: string) => fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40))
const nonUtf8 = (dir: string, ext: string) =>
  Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from(ext)])

/** Hostile changes any image or mask file gets; a mask (of its image's `size`) gets wrong sizes and values. */
function fileSpoils(file: string, size?: { width: number; height: number }): [string, Spoil][] {
  return [
    ['truncated', () => truncate(file)],
    ['zero-byte', () => fs.writeFileSync(file, '')],
    ['a PNG bomb claiming 100,000²', () => fs.writeFileSync(file, pngClaiming(100_000))],
    ['a FIFO', () => fifo(file)],
    ['a symlink to /dev/zero', () => link(file, '/dev/zero')],
    ['a symlink to /etc/passwd', () => link(file, '/etc/passwd')],
    ...(size
      ? ([
          ['of the wrong size', () => writeMask(file, size.width - 4, size.height)],
          ['claiming 20,000² (under the bomb limit)', () => fs.writeFileSync(file, pngClaiming(20_000))],
          [
            'with values 7',
            () => writeMask(file, size.width, size.height, Buffer.alloc(size.width * size.height, 7)),
          ],
        ] as [string, Spoil][])
      : []),
  ]
}

/** Hostile changes a CSV gets (`header` is its good header row, `key` a good first cell). */
function csvSpoils(file: string, header: string, key: string): [string, Spoil][] {
  const cols = header.split(',').length - 1
  const ones = Array(cols).fill('0').join(',')
  return [
    [
      'a formula and unbalanced quotes',
      () => fs.writeFileSync(file, `${header}\n"=cmd|' /C calc'!A0,1\n${key},"1\n`),
    ],
    ['a path outside', () => fs.writeFileSync(file, `${header}\n../../../etc/passwd,${ones}\n`)],
    [
      '5,000 columns',
      () =>
        fs.writeFileSync(file, `${header},${Array.from({ length: 5000 }, (_, i) => `c${i}`)}\n${key},1\n`),
    ],
    ['NUL bytes and a BOM', () => fs.writeFileSync(file, `\ufeff${header}\n${key}\u0000,${ones}\n`)],
    [
      'not UTF-8',
      () => fs.writeFileSync(file, Buffer.from([0x69, 0x6d, 0x61, 0x67, 0x65, 0x2c, 0xff, 0xfe, 0x0a])),
    ],
    ['zero-byte', () => fs.writeFileSync(file, '')],
    ['of 100 MB', () => huge(file, 100 * 1024 ** 2)],
    ['a FIFO', () => fifo(file)],
    ['a symlink to /etc/passwd', () => link(file, '/etc/passwd')],
  ]
}

/** Makes `dir` with `write`, spoils it, and sends `send(dir)` as one input. */
function hostileCases(
  title: string,
  write: (dir: string) => Promise<unknown>,
  spoils: (dir: string) => [string, Spoil][],
  send: (dir: string) => Promise<Reply>,
) {
  let n = 0
  const names = spoils('/x').map(([name]) => name)
  it.each(names)(`${title}: %s`, async (name) => {
    const dir = path.join(root, 'hostile', `${title.replace(/\W+/g, '-')}-${n++}`)
    await write(dir)
    const spoil = spoils(dir).find(([s]) => s === name)![1]
    await spoil(dir)
    const startFailures = failures.length
    await tryInput(`${title}: ${name}`, () => send(dir))
    expect(failures.slice(startFailures)).toEqual([])
  })
}

const importJob = (format: string) => async (dir: string) =>
  jobReply(() => post('import.start', { format, path: dir }))

describe('ISIC-2017 as distributed, spoiled', () => {
  const data = (d: string) => path.join(d, 'ISIC-2017_Training_Data')
  const gt = (d: string) => path.join(d, 'ISIC-2017_Training_Part1_GroundTruth')
  const csv = (d: string) => path.join(d, 'ISIC-2017_Training_Part3_GroundTruth.csv')
  hostileCases(
    'ISIC-2017',
    (d) => writeIsic2017(d, [1, 0, 0]),
    (d) => [
      ...fileSpoils(path.join(data(d), 'ISIC_0000000.jpg')).map(
        ([s, f]) => [`image ${s}`, f] as [string, Spoil],
      ),
      ...fileSpoils(path.join(gt(d), 'ISIC_0000000_segmentation.png'), { width: 32, height: 24 }).map(
        ([s, f]) => [`mask ${s}`, f] as [string, Spoil],
      ),
      ...csvSpoils(csv(d), 'image_id,melanoma,seborrheic_keratosis', 'ISIC_0000000').map(
        ([s, f]) => [`Part 3 CSV ${s}`, f] as [string, Spoil],
      ),
      ['the data folder a symlink to /etc', () => link(data(d), '/etc')],
      [
        'an image with a non-UTF-8 name',
        () => fs.copyFileSync(path.join(data(d), 'ISIC_0000000.jpg'), nonUtf8(data(d), '.jpg')),
      ],
    ],
    importJob('isic2017'),
  )
})

describe('Dermofit, spoiled', () => {
  const lesion = (d: string) => path.join(d, 'MEL', 'A1')
  hostileCases(
    'Dermofit',
    (d) => writeDermofit(d, [{ cls: 'MEL', id: 'A1' }], { width: 32, height: 24 }),
    (d) => [
      ...fileSpoils(path.join(lesion(d), 'A1.png')).map(([s, f]) => [`image ${s}`, f] as [string, Spoil]),
      ...fileSpoils(path.join(lesion(d), 'A1mask.png'), { width: 32, height: 24 }).map(
        ([s, f]) => [`mask ${s}`, f] as [string, Spoil],
      ),
      ['a class folder that is a symlink to /etc', () => link(path.join(d, 'MEL'), '/etc')],
      ['a lesion folder that is a symlink', () => link(lesion(d), '/etc')],
      ['a class folder with a non-UTF-8 name', () => fs.renameSync(path.join(d, 'MEL'), nonUtf8(d, ''))],
      [
        'a lesion with a second image',
        () => fs.copyFileSync(path.join(lesion(d), 'A1.png'), path.join(lesion(d), 'A1b.png')),
      ],
    ],
    importJob('dermofit'),
  )
})

describe('masks and labels read back (annotations.import: PNG, COCO, CSV), spoiled', () => {
  const base = path.join(root, 'export-base')
  beforeAll(async () => {
    const r = await post('annotations.export', { dir: path.join(fuzz.projectsDir, 'export-base') })
    const files = (r.body?.result as { files?: string[] } | undefined)?.files ?? []
    const has = (f: string) => files.some((x) => x.endsWith(f))
    if (!has('/masks/images_a.png') || !has('/annotations.coco.json'))
      throw new Error(`the export to spoil is not a mask and its COCO file: ${JSON.stringify(r.body)}`)
    fs.cpSync(path.join(fuzz.projectsDir, 'export-base'), base, { recursive: true })
    fs.rmSync(path.join(fuzz.projectsDir, 'export-base'), { recursive: true })
  })
  const copy = async (d: string) => fs.cpSync(base, d, { recursive: true })
  const mask = (d: string) => path.join(d, 'masks', 'images_a.png')
  const coco = (d: string) => path.join(d, 'annotations.coco.json')
  const cocoWith = (d: string, edit: (c: Record<string, unknown>) => unknown) => {
    const c = JSON.parse(fs.readFileSync(coco(d), 'utf8')) as Record<string, unknown>
    fs.writeFileSync(coco(d), JSON.stringify(edit(c) ?? c))
  }
  const firstSegmentation = (c: Record<string, unknown>) =>
    (c.annotations as { segmentation: { size: number[]; counts: unknown } }[])[0].segmentation
  const importAll = (masks: 'png' | 'coco') => (dir: string) =>
    post('annotations.import', { dir, masks, labels: true })

  hostileCases(
    'PNG masks',
    copy,
    (d) => [
      ...fileSpoils(mask(d), { width: 24, height: 16 }).map(([s, f]) => [`mask ${s}`, f] as [string, Spoil]),
      ['masks/ a symlink to /etc', () => link(path.join(d, 'masks'), '/etc')],
      [
        'a mask with a non-UTF-8 name',
        () => fs.copyFileSync(mask(d), nonUtf8(path.join(d, 'masks'), '.png')),
      ],
      ...csvSpoils(path.join(d, 'labels.csv'), 'image,lesion', 'images/a.png').map(
        ([s, f]) => [`labels.csv ${s}`, f] as [string, Spoil],
      ),
    ],
    importAll('png'),
  )
  hostileCases(
    'COCO',
    copy,
    (d) => [
      ['not JSON', () => fs.writeFileSync(coco(d), '{"images": [')],
      ['zero-byte', () => fs.writeFileSync(coco(d), '')],
      ['an array', () => fs.writeFileSync(coco(d), '[1, 2]')],
      ['null images', () => cocoWith(d, (c) => ({ ...c, images: [null] }))],
      ['an annotation that is a number', () => cocoWith(d, (c) => ({ ...c, annotations: [7] }))],
      ['categories of strings', () => cocoWith(d, (c) => ({ ...c, categories: ['lesion'] }))],
      [
        'negative counts that add up (a run 10¹⁰ pixels long)',
        () =>
          cocoWith(d, (c) => {
            const s = firstSegmentation(c)
            s.counts = [0, 1e10, 24 * 16 - 1e10]
          }),
      ],
      ['counts as an object', () => cocoWith(d, (c) => void (firstSegmentation(c).counts = { length: 1e9 }))],
      ['counts not covering the size', () => cocoWith(d, (c) => void (firstSegmentation(c).counts = [5]))],
      [
        'size a string',
        () => cocoWith(d, (c) => void (firstSegmentation(c).size = ['16', '24'] as unknown as number[])),
      ],
      ['nested 100,000 deep', () => fs.writeFileSync(coco(d), '['.repeat(100_000) + ']'.repeat(100_000))],
      ['of 300 MB', () => huge(coco(d), 300 * 1024 ** 2)],
      ['a FIFO', () => fifo(coco(d))],
      ['a symlink to /dev/zero', () => link(coco(d), '/dev/zero')],
    ],
    importAll('coco'),
  )
  it('a source folder that is a device, a FIFO or outside', async () => {
    const startFailures = failures.length
    const pipe = path.join(root, 'annotations-fifo')
    fifo(pipe)
    for (const dir of ['/dev/zero', '/etc', '/proc/self', pipe, '../../..'])
      for (const masks of ['png', 'coco', 'none'])
        await tryInput(`annotations.import ${masks} from ${dir}`, () =>
          post('annotations.import', { dir, masks, labels: true }),
        )
    expect(failures.slice(startFailures)).toEqual([])
  })
})

describe('QuPath GeoJSON, spoiled', () => {
  /** The app's import job, as the import dialog starts it, of the file and of its folder. */
  const importFile = async (dir: string): Promise<Reply> =>
    jobReply(() => post('import.start', { format: 'geojson', path: file(dir), createClasses: true }))
  const file = (d: string) => path.join(d, 'images_a.geojson')
  const feature = (geometry: unknown, name: unknown = 'lesion') => ({
    type: 'Feature',
    geometry,
    properties: { objectType: 'annotation', classification: { name } },
  })
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [1, 1],
        [9, 1],
        [9, 9],
        [1, 9],
        [1, 1],
      ],
    ],
  }
  const write = (d: string, v: unknown) =>
    fs.writeFileSync(file(d), typeof v === 'string' ? v : JSON.stringify(v))
  // Written as text: JSON.stringify itself would overflow the stack on it.
  const deep = 20_000
  const nested =
    '{"type":"GeometryCollection","geometries":['.repeat(deep) + JSON.stringify(square) + ']}'.repeat(deep)
  hostileCases(
    'GeoJSON',
    async (d) => {
      fs.mkdirSync(d, { recursive: true })
      write(d, { type: 'FeatureCollection', features: [feature(square)] })
    },
    (d) => [
      ['not JSON', () => write(d, '{"type": "FeatureCollection", "features": [')],
      ['zero-byte', () => write(d, '')],
      ['not UTF-8', () => fs.writeFileSync(file(d), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ['null features', () => write(d, { type: 'FeatureCollection', features: [null] })],
      ['features a string', () => write(d, { type: 'FeatureCollection', features: 'x' })],
      [
        'coordinates 1e308',
        () =>
          write(d, [
            feature({
              type: 'Polygon',
              coordinates: [
                [
                  [1e308, 1],
                  [1, 1e308],
                  [0, 0],
                  [1e308, 1],
                ],
              ],
            }),
          ]),
      ],
      [
        'coordinates as strings',
        () =>
          write(d, [
            feature({
              type: 'Polygon',
              coordinates: [
                [
                  ['1', '1'],
                  ['9', '1'],
                  ['9', '9'],
                  ['1', '1'],
                ],
              ],
            }),
          ]),
      ],
      [
        'a point far outside the image',
        () =>
          write(d, [
            feature({
              type: 'Polygon',
              coordinates: [
                [
                  [1, 1],
                  [1e9, 1],
                  [1, 1e9],
                  [1, 1],
                ],
              ],
            }),
          ]),
      ],
      [
        'a ring of two points',
        () =>
          write(d, [
            feature({
              type: 'Polygon',
              coordinates: [
                [
                  [1, 1],
                  [2, 2],
                ],
              ],
            }),
          ]),
      ],
      ['an unknown geometry type', () => write(d, [feature({ type: 'Hypercube', coordinates: [] })])],
      ['a class name that is an object', () => write(d, [feature(square, { toString: 1 })])],
      ['a class name of 100,000 characters', () => write(d, [feature(square, 'x'.repeat(100_000))])],
      [
        'GeometryCollections 20,000 deep',
        () => write(d, JSON.stringify([feature(null)]).replace('null', nested)),
      ],
      ['of 600 MB', () => huge(file(d), 600 * 1024 ** 2)],
      ['a FIFO', () => fifo(file(d))],
      ['a symlink to /dev/zero', () => link(file(d), '/dev/zero')],
    ],
    importFile,
  )
  it('the unspoiled file is imported: the spoils reach the importer, not a door before it', async () => {
    const dir = path.join(root, 'hostile', 'GeoJSON-good')
    fs.mkdirSync(dir, { recursive: true })
    write(dir, { type: 'FeatureCollection', features: [feature(square)] })
    const r = await importFile(dir)
    expect(r.body?.error?.message).toBeUndefined()
    expect(r.body?.ok).toBe(true)
  })
})

describe('ImageNet weights (weights.import), hostile', () => {
  const weightsDir = path.join(root, 'data', 'weights')
  const cached = () => (fs.existsSync(weightsDir) ? fs.readdirSync(weightsDir).sort().join() : '')
  /** weights.import answers with what it imported and rejected: a hostile file must only be rejected. */
  const importWeights =
    (paths: (d: string) => string[]) =>
    async (dir: string): Promise<Reply> => {
      const before = cached()
      const r = await post('weights.import', { paths: paths(dir) })
      const result = r.body?.result as { imported: unknown[]; rejected: unknown[] } | undefined
      if (!r.body?.ok || !result) return r
      if (result.imported.length > 0 || cached() !== before)
        failures.push(`weights.import ${dir}: a hostile file was imported into the weights cache`)
      return { status: 400, body: { ok: false, error: { message: JSON.stringify(result.rejected) } } }
    }
  const one = (d: string) => path.join(d, 'w.safetensors')
  const header = (h: unknown, tail = Buffer.alloc(0)) => {
    const json = Buffer.from(JSON.stringify(h))
    const len = Buffer.alloc(8)
    len.writeBigUInt64LE(BigInt(json.length))
    return Buffer.concat([len, json, tail])
  }
  hostileCases(
    'weights',
    async (d) => {
      fs.mkdirSync(d, { recursive: true })
      fs.writeFileSync(
        one(d),
        encodeSafetensors(new Map([['x', { shape: [2], data: Float32Array.from([1, 2]) }]])),
      )
    },
    (d) => [
      ['zero-byte', () => fs.writeFileSync(one(d), '')],
      ['truncated', () => truncate(one(d))],
      [
        'a header length of 2⁶⁰',
        () => {
          const b = Buffer.alloc(16)
          b.writeBigUInt64LE(2n ** 60n)
          fs.writeFileSync(one(d), b)
        },
      ],
      ['a header that is not JSON', () => fs.writeFileSync(one(d), header('x').subarray(0, 12))],
      [
        'data offsets past the end',
        () => fs.writeFileSync(one(d), header({ x: { dtype: 'F32', shape: [1e9], data_offsets: [0, 4e9] } })),
      ],
      [
        'a shape of negative size',
        () =>
          fs.writeFileSync(
            one(d),
            header({ x: { dtype: 'F32', shape: [-1, 4], data_offsets: [0, 16] } }, Buffer.alloc(16)),
          ),
      ],
      ['of 3 GB', () => huge(one(d), 3 * 1024 ** 3)],
      ['a FIFO', () => fifo(one(d))],
      ['a symlink to /dev/zero', () => link(one(d), '/dev/zero')],
      ['a non-UTF-8 name', () => fs.renameSync(one(d), nonUtf8(d, '.safetensors'))],
    ],
    importWeights((d) => [d, one(d)]),
  )
  it('device, FIFO and system paths', async () => {
    const startFailures = failures.length
    const pipe = path.join(root, 'weights-fifo.safetensors')
    fifo(pipe)
    await tryInput('weights.import of devices and system files', () =>
      importWeights(() => ['/dev/zero', '/dev/urandom', '/etc/shadow', '/proc/self/environ', pipe, '/'])(''),
    )
    expect(failures.slice(startFailures)).toEqual([])
  })
})

describe('whole-slide files, hostile', () => {
  /** A TIFF of one tiled 8-bit grey level claiming `side`², with one tile offset for all its tiles. */
  const tiffClaiming = (side: number, tiled: boolean): Buffer => {
    const entries: [number, number, number, number][] = [
      [256, 4, 1, side], // ImageWidth
      [257, 4, 1, side], // ImageLength
      [258, 3, 1, 8], // BitsPerSample
      [259, 3, 1, 1], // Compression: none
      [262, 3, 1, 1], // Photometric: min-is-black
      [277, 3, 1, 1], // SamplesPerPixel
      ...((tiled
        ? [
            [322, 3, 1, 256], // TileWidth
            [323, 3, 1, 256], // TileLength
            [324, 4, 1, 8], // TileOffsets: one, for millions of tiles
            [325, 4, 1, 65536], // TileByteCounts
          ]
        : [
            [273, 4, 1, 8], // StripOffsets
            [278, 4, 1, side], // RowsPerStrip
            [279, 4, 1, 65536], // StripByteCounts
          ]) as [number, number, number, number][]),
    ]
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4)
    ifd.writeUInt16LE(entries.length, 0)
    entries.forEach(([tag, type, count, value], i) => {
      const at = 2 + i * 12
      ifd.writeUInt16LE(tag, at)
      ifd.writeUInt16LE(type, at + 2)
      ifd.writeUInt32LE(count, at + 4)
      if (type === 3) ifd.writeUInt16LE(value, at + 8)
      else ifd.writeUInt32LE(value, at + 8)
    })
    const head = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0])
    return Buffer.concat([head, ifd])
  }
  /** A TIFF whose first IFD's next-IFD offset points back at itself: a reader that follows it loops. */
  const tiffLoop = (): Buffer => {
    const b = tiffClaiming(64, false)
    b.writeUInt32LE(8, b.length - 4)
    return b
  }
  const pyramid = async (file: string) =>
    sharp({ create: { width: 1024, height: 768, channels: 3, background: { r: 200, g: 150, b: 190 } } })
      .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'jpeg' })
      .toFile(file)
  hostileCases(
    'slides',
    async (d) => {
      fs.mkdirSync(d, { recursive: true })
      await pyramid(path.join(d, 'slide.tif'))
    },
    (d) => {
      const slide = path.join(d, 'slide.tif')
      return [
        ['a pyramid TIFF truncated', () => fs.writeFileSync(slide, fs.readFileSync(slide).subarray(0, 4000))],
        [
          'an SVS truncated',
          () => {
            fs.writeFileSync(path.join(d, 'slide.svs'), fs.readFileSync(slide).subarray(0, 2000))
            fs.rmSync(slide)
          },
        ],
        ['a zero-byte SVS', () => (fs.rmSync(slide), fs.writeFileSync(path.join(d, 'slide.svs'), ''))],
        ['a tiled TIFF claiming 1,000,000²', () => fs.writeFileSync(slide, tiffClaiming(1_000_000, true))],
        ['a striped TIFF claiming 1,000,000²', () => fs.writeFileSync(slide, tiffClaiming(1_000_000, false))],
        [
          'a tiled TIFF claiming 200,000² in one tile',
          () => fs.writeFileSync(slide, tiffClaiming(200_000, true)),
        ],
        ['a TIFF whose IFDs loop', () => fs.writeFileSync(slide, tiffLoop())],
        ['a TIFF that is a FIFO', () => fifo(slide)],
        [
          'an SVS that is a symlink to /dev/zero',
          () => (fs.rmSync(slide), link(path.join(d, 'slide.svs'), '/dev/zero')),
        ],
      ]
    },
    importJob('images'),
  )
})

describe('non-UTF-8 names in folders of GeoJSON and weights (issue #19 item 6)', () => {
  it('are named by their bytes, not reported as missing files', async () => {
    const dir = path.join(root, 'hostile', 'names-by-bytes')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(nonUtf8(dir, '.geojson'), '[]')
    fs.writeFileSync(nonUtf8(dir, '.safetensors'), '')
    const startFailures = failures.length
    let geojson = ''
    await tryInput('a GeoJSON folder holding a non-UTF-8 name', async () => {
      const r = await jobReply(() => post('import.start', { format: 'geojson', path: dir }))
      geojson = r.body?.error?.message ?? ''
      return r
    })
    expect(geojson).toMatch(/caf\\xE9\.geojson: has a file name that is not valid UTF-8/)
    let weights = ''
    await tryInput('a weights folder holding a non-UTF-8 name', async () => {
      const r = await post('weights.import', { paths: [dir] })
      weights = JSON.stringify(r.body)
      return { status: 400, body: { ok: false } }
    })
    expect(weights).toMatch(/caf\\\\xE9\.safetensors: has a file name that is not valid UTF-8/)
    expect(`${geojson}${weights}`).not.toMatch(/ENOENT|\ufffd/)
    expect(failures.slice(startFailures)).toEqual([])
  })
})
