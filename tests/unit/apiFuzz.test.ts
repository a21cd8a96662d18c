// Fuzzing the API as serve mode exposes it: every contract method with random and malformed payloads, and
// every importer with hostile files. Each input must get a clean answer (never a 500, never a hang, never a
// crash) and an input that is refused must leave the project exactly as it was.
// `npm run test:fuzz` (S4MI_FUZZ_FULL=1) tries many more inputs per method and prints the figures last.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import { createSeededRandom } from '../../src/core/engine/seededRandom'
import { pngClaiming, writeFolderDataset, writeMask } from '../../src/core/data/datasetFixtures'
import { startServer, type RunningServer } from '../../src/server/server'
import { api, type ApiMethod } from '../../src/shared/api'
import { recordFigures } from '../figures/figures'

const FULL = process.env.S4MI_FUZZ_FULL === '1'
const PER_METHOD = FULL ? 60 : 3
const HANG_MS = 20_000
const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-fuzz-'))
const projectsDir = path.join(root, 'projects')
const fixtureDir = path.join(projectsDir, 'fixture')
let session: Session
let server: RunningServer
const figures = {
  inputs: 0,
  '500s': 0,
  hangs: 0,
  crashes: 0,
  'projects changed by refused input': 0,
  'refusals echoing their input': 0,
}
/** Inputs a handler accepted: the fuzz reaches past the door (key, origin, body type) into the handlers. */
let accepted = 0
const failures: string[] = []
const crashes: unknown[] = []
const onCrash = (e: unknown) => crashes.push(e)

beforeAll(async () => {
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  fs.mkdirSync(projectsDir, { recursive: true })
  session = new Session({
    dataDir: path.join(root, 'data'),
    version: 'fuzz',
    transport: 'http',
    defaultProjectsDir: projectsDir,
  })
  server = await startServer({
    session,
    handlers: createHandlers(session),
    staticDir: root,
    host: '127.0.0.1',
    port: 0,
  })
  const seed = path.join(root, 'seed')
  await writeFolderDataset(
    seed,
    [{ name: 'a.png', width: 24, height: 16, labels: [0], mask: true }],
    ['lesion'],
  )
  await post('project.create', { dir: fixtureDir, name: 'fuzz', labelMode: 'multi-class', classes: [] })
  const { body } = await post('import.start', { format: 'folder', path: seed })
  await session.jobs.wait((body as { result: { jobId: string } }).result.jobId)
}, 120_000)

afterAll(async () => {
  process.off('uncaughtException', onCrash)
  process.off('unhandledRejection', onCrash)
  figures.crashes += crashes.length
  recordFigures('fuzz', figures)
  console.log(`fuzz: ${JSON.stringify(figures)}`)
  await server?.close()
  session?.close()
  fs.rmSync(root, { recursive: true, force: true })
})

interface Reply {
  status: number
  body: { ok?: boolean; error?: { message?: string } } | null
}

async function post(
  method: string,
  input: unknown,
  raw?: { body: Buffer | string; type?: string },
): Promise<Reply> {
  const res = await fetch(`${server.url}/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'content-type': raw?.type ?? 'application/json', 'x-s4mi-token': server.key! },
    body: raw ? raw.body : JSON.stringify(input),
    signal: AbortSignal.timeout(HANG_MS),
  })
  const text = await res.text()
  let body: Reply['body'] = null
  try {
    body = JSON.parse(text) as Reply['body']
  } catch {
    body = null
  }
  return { status: res.status, body }
}

/** Everything the fixture project holds: every row of every table and every blob name. */
function fingerprint(): string {
  const p = session.current
  if (!p || p.dir !== path.resolve(fixtureDir)) return 'another project'
  const h = createHash('sha256')
  const tables = p.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[]
  for (const t of tables) h.update(t).update(JSON.stringify(p.db.prepare(`SELECT * FROM "${t}"`).raw().all()))
  h.update(p.blobs.list().sort().join())
  return h.digest('hex')
}

/** Ends whatever a valid-looking input started (an import, a demo, training) and reopens the fixture. */
async function settle(): Promise<void> {
  for (const j of session.jobs.list())
    if (j.status === 'queued' || j.status === 'running') {
      session.jobs.cancel(j.id)
      await session.jobs.wait(j.id)
    }
  if (session.current?.dir !== path.resolve(fixtureDir)) await post('project.open', { dir: fixtureDir })
}

/** Sends one input and counts what happened. */
async function tryInput(label: string, send: () => Promise<Reply>): Promise<void> {
  figures.inputs++
  const before = fingerprint()
  const crashesBefore = crashes.length
  let reply: Reply
  try {
    reply = await send()
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') {
      figures.hangs++
      failures.push(`${label}: no answer within ${HANG_MS} ms`)
    } else {
      figures.crashes++
      failures.push(`${label}: the server dropped the request (${(e as Error).message})`)
    }
    await settle()
    return
  }
  if (reply.status >= 500 && reply.status !== 503) {
    figures['500s']++
    failures.push(`${label}: HTTP ${reply.status} ${reply.body?.error?.message ?? ''}`)
  }
  if (crashes.length > crashesBefore) failures.push(`${label}: ${String(crashes.at(-1))}`)
  const refused = reply.status >= 400 || reply.body?.ok === false
  if (!refused) accepted++
  // Errors are clipped (apiFailure.ts): a refusal never echoes a megabyte input back.
  const size = JSON.stringify(reply.body ?? '').length
  if (refused && size > 16_000) {
    figures['refusals echoing their input']++
    failures.push(`${label}: a refusal of ${size} characters`)
  }
  if (refused && fingerprint() !== before) {
    figures['projects changed by refused input']++
    failures.push(`${label}: refused (${reply.body?.error?.message ?? reply.status}) but the project changed`)
  }
  await settle()
}

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
      await tryInput(`${name} (${format})`, async () => {
        const before = fingerprint()
        const r = await post('import.start', { format, path: source })
        if (!r.body?.ok) return r
        const jobId = (r.body as { result: { jobId: string } }).result.jobId
        const job = await Promise.race([
          session.jobs.wait(jobId),
          new Promise<null>((res) => setTimeout(() => res(null), HANG_MS)),
        ])
        if (!job) {
          const e = new Error('import hung')
          e.name = 'TimeoutError'
          throw e
        }
        // A refused import is a failed job: count it as refused, so the project must be as it was.
        if (job.status !== 'succeeded')
          return { status: 400, body: { ok: false, error: { message: job.error ?? job.status } } }
        return { status: 200, body: { ok: fingerprint() !== before } }
      })
    }
    expect(failures.slice(startFailures)).toEqual([])
  })

  it('escaping and device paths as the import source are refused', async () => {
    const startFailures = failures.length
    for (const source of ['/etc', '/dev/zero', path.join(root, 'link-out'), '../../..', '/proc/self'])
      for (const format of ['folder', 'images', 'isic2017', 'dermofit'])
        await tryInput(`import ${format} from ${source}`, () =>
          post('import.start', { format, path: source }),
        )
    expect(failures.slice(startFailures)).toEqual([])
  })
})

describe('the fuzz itself', () => {
  it('reached the handlers: some inputs were accepted, and refusals came from the schemas, not the door', () => {
    expect(accepted).toBeGreaterThan(10)
    expect(figures.inputs).toBeGreaterThan(accepted)
  })
})
