// Fuzzing the API as serve mode exposes it: every contract method with random and malformed payloads, and
// every importer with hostile files. Each input must get a clean answer (never a 500, never a hang, never a
// crash) and an input that is refused must leave the project exactly as it was.
// `npm run test:fuzz` (S4MI_FUZZ_FULL=1) tries many more inputs per method and prints the figures last.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../src/core/engine/seededRandom'
import { pngClaiming, writeFolderDataset, writeMask } from '../../src/core/data/datasetFixtures'
import { api, type ApiMethod } from '../../src/shared/api'
import { FULL, HANG_MS, useFuzzServer } from './fuzzServer'

const PER_METHOD = FULL ? 60 : 3
const fuzz = useFuzzServer('api')
const { root, projectsDir, fixtureDir, failures, post, tryInput, jobReply } = fuzz

const seeded = createSeededRandom(19)
const random = () => seeded.next()
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) })

/** Values no method should trip over: wrong types, edges, escaping and device paths, bombs of size. */
const nasty = (): unknown[] => [
  null,
  true,
  -1,
  0,
  1,
  2.5,
  1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'x',
  '../../../../etc/passwd',
  '/etc/shadow',
  '/dev/zero',
  '/proc/self/environ',
  path.join(root, 'link-out'),
  '\u0000',
  '\ud800',
  '%E0%A4%A',
  '=cmd|"/C calc"!A0',
  'x'.repeat(1 << 20),
  [],
  {},
  [1, 'a', null],
  JSON.parse('{"__proto__": {"polluted": true}}'),
  deep(200),
]

type Def = {
  type: string
  innerType?: ZodLike
  shape?: Record<string, ZodLike>
  entries?: Record<string, string>
  in?: ZodLike
}
type ZodLike = { _zod: { def: Def } }

function unwrap(s: ZodLike): ZodLike {
  const d = s._zod.def
  if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default') && d.innerType)
    return unwrap(d.innerType)
  if (d.type === 'pipe' && d.in) return unwrap(d.in)
  return s
}

/** A value of roughly the right type, or a nasty one. */
function valueFor(s: ZodLike): unknown {
  if (random() < 0.4) return pick(nasty())
  const d = unwrap(s)._zod.def
  switch (d.type) {
    case 'number':
      return pick([1, 2, 0, -1, 0.5, 1e9, 2 ** 31])
    case 'string':
      return pick(['a', fixtureDir, path.join(projectsDir, 'new'), '/', root, 'x'.repeat(300)])
    case 'boolean':
      return random() < 0.5
    case 'enum':
      return pick([...Object.values(d.entries ?? {}), 'nope'])
    case 'array':
      return [pick(nasty()), pick(nasty())]
    case 'object':
      return objectFor(unwrap(s))
    default:
      return pick(nasty())
  }
}

function objectFor(s: ZodLike): Record<string, unknown> {
  const shape = unwrap(s)._zod.def.shape ?? {}
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(shape)) if (random() < 0.85) out[k] = valueFor(v)
  if (random() < 0.2) out[pick(['extra', '__proto__', 'constructor'])] = pick(nasty())
  return out
}

/** Request-level malformations every method gets. */
const malformed: { label: string; body: Buffer | string; type?: string }[] = [
  { label: 'not JSON', body: '{"dir": ' },
  { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { label: 'empty body', body: '' },
  { label: 'a JSON array', body: '[1,2,3]' },
  { label: 'text/plain', body: '{}', type: 'text/plain' },
  { label: 'deeply nested', body: '['.repeat(100_000) + ']'.repeat(100_000) },
]

describe('every contract method with random and malformed payloads', () => {
  beforeAll(() => fs.symlinkSync('/etc', path.join(root, 'link-out')))
  const methods = Object.keys(api) as ApiMethod[]
  it.each(methods)(
    '%s',
    async (method) => {
      const schema = api[method].input as unknown as ZodLike
      const startFailures = failures.length
      for (let i = 0; i < PER_METHOD; i++) {
        const input = i === 0 ? pick(nasty()) : objectFor(schema)
        await tryInput(`${method} #${i}`, () => post(method, input))
      }
      for (const m of FULL ? malformed : [pick(malformed)])
        await tryInput(`${method} ${m.label}`, () => post(method, null, m))
      expect(failures.slice(startFailures)).toEqual([])
    },
    PER_METHOD * HANG_MS + 60_000,
  )
})

describe('every importer with hostile files', () => {
  /** A folder dataset with one good image, then `spoil` makes it hostile. */
  async function hostile(name: string, spoil: (dir: string) => Promise<void> | void): Promise<string> {
    const dir = path.join(root, 'hostile', name)
    await writeFolderDataset(
      dir,
      [{ name: 'a.png', width: 24, height: 16, labels: [0], mask: true }],
      ['lesion'],
      7,
    )
    await spoil(dir)
    return dir
  }
  const png = (dir: string) => path.join(dir, 'images', 'a.png')
  const cases: [string, (dir: string) => Promise<void> | void][] = [
    ['truncated PNG', (d) => fs.writeFileSync(png(d), fs.readFileSync(png(d)).subarray(0, 40))],
    ['zero-byte PNG', (d) => fs.writeFileSync(png(d), '')],
    ['PNG bomb claiming 100,000²', (d) => fs.writeFileSync(png(d), pngClaiming(100_000))],
    ['mask bomb', (d) => fs.writeFileSync(path.join(d, 'masks', 'a.png'), pngClaiming(100_000))],
    ['mask of the wrong size', (d) => writeMask(path.join(d, 'masks', 'a.png'), 20, 16)],
    ['mask values 7', (d) => writeMask(path.join(d, 'masks', 'a.png'), 24, 16, Buffer.alloc(24 * 16, 7))],
    [
      'CSV with a formula and unbalanced quotes',
      (d) =>
        fs.writeFileSync(path.join(d, 'labels.csv'), 'image,lesion\n"=cmd|\' /C calc\'!A0,1\na.png,"1\n'),
    ],
    [
      'CSV naming a path outside',
      (d) => fs.writeFileSync(path.join(d, 'labels.csv'), 'image,lesion\n../../../etc/passwd,1\na.png,1\n'),
    ],
    [
      'CSV of 5,000 columns',
      (d) =>
        fs.writeFileSync(
          path.join(d, 'labels.csv'),
          `image,${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\na.png,1\n`,
        ),
    ],
    [
      'CSV with NUL bytes and a BOM',
      (d) => fs.writeFileSync(path.join(d, 'labels.csv'), '\ufeffimage,lesion\na.png\u0000,1\n'),
    ],
    [
      'CSV that is not UTF-8',
      (d) =>
        fs.writeFileSync(
          path.join(d, 'labels.csv'),
          Buffer.from([0x69, 0x6d, 0x61, 0x67, 0x65, 0x2c, 0xff, 0xfe, 0x0a]),
        ),
    ],
    [
      'image symlink leading out',
      (d) => {
        fs.rmSync(png(d))
        fs.symlinkSync('/etc/passwd', png(d))
      },
    ],
    [
      'images/ is a symlink',
      (d) => {
        fs.renameSync(path.join(d, 'images'), path.join(d, 'real'))
        fs.symlinkSync(path.join(d, 'real'), path.join(d, 'images'))
      },
    ],
    [
      'non-UTF-8 file name',
      (d) =>
        fs.copyFileSync(
          png(d),
          Buffer.concat([
            Buffer.from(path.join(d, 'images') + '/caf'),
            Buffer.from([0xe9]),
            Buffer.from('.png'),
          ]),
        ),
    ],
    [
      'a FIFO as an image',
      async (d) => {
        fs.rmSync(png(d))
        const { execFileSync } = await import('node:child_process')
        execFileSync('mkfifo', [png(d)])
      },
    ],
  ]
  it.each(cases)('%s', async (name, spoil) => {
    const dir = await hostile(name.replace(/\W+/g, '-'), spoil)
    const startFailures = failures.length
    for (const format of ['folder', 'images'] as const) {
      const source = format === 'images' ? path.join(dir, 'images') : dir
      await tryInput(`${name} (${format})`, async () =>
        jobReply(() => post('import.start', { format, path: source })),
      )
    }
    expect(failures.slice(startFailures)).toEqual([])
  })

  it('escaping and device paths as the import source are refused', async () => {
    const startFailures = failures.length
    for (const source of ['/etc', '/dev/zero', path.join(root, 'link-out'), '../../..', '/proc/self'])
      for (const format of ['folder', 'images', 'isic2017', 'dermofit', 'geojson'])
        await tryInput(`import ${format} from ${source}`, () =>
          post('import.start', { format, path: source }),
        )
    expect(failures.slice(startFailures)).toEqual([])
  })
})

describe('the fuzz itself', () => {
  it('reached the handlers: some inputs were accepted, and refusals came from the schemas, not the door', () => {
    expect(fuzz.accepted()).toBeGreaterThan(10)
    expect(fuzz.figures.inputs).toBeGreaterThan(fuzz.accepted())
  })
})
