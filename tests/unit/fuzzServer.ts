// The serve-mode server the fuzz suites attack, with what they count: every input gets a clean answer (never a
// 500, never a hang, never a crash) and an input that is refused must leave the project exactly as it was.
// Each fuzz file calls useFuzzServer() once; its figures are added to test-output/figures/fuzz.json.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import { writeFolderDataset } from '../../src/core/data/datasetFixtures'
import { startServer, type RunningServer } from '../../src/server/server'
import { recordFigures } from '../figures/figures'

export const FULL = process.env.S4MI_FUZZ_FULL === '1'
/** No answer within this long is a hang. */
export const HANG_MS = 20_000
/**
 * The server is in this process: a read that blocks its one thread (a FIFO opened for reading, a device read
 * to its end) stops it answering anyone, which is a hang even when the input is answered in the end.
 */
const STALL_MS = 3_000

export interface Reply {
  status: number
  body: { ok?: boolean; result?: unknown; error?: { message?: string } } | null
}

export interface FuzzServer {
  root: string
  projectsDir: string
  fixtureDir: string
  session: Session
  figures: Record<string, number>
  failures: string[]
  /** Inputs a handler accepted: the fuzz reaches past the door (key, origin, body type) into the handlers. */
  accepted(): number
  post(method: string, input: unknown, raw?: { body: Buffer | string; type?: string }): Promise<Reply>
  /** Sends one input and counts what happened. */
  tryInput(label: string, send: () => Promise<Reply>): Promise<void>
  /**
   * Starts a job (an import) and answers as its end: a failed job is a refusal, and so is a job that
   * succeeded without changing the project. The project is looked at before the start is sent: a quick job
   * may be done before its start is answered.
   */
  jobReply(send: () => Promise<Reply>): Promise<Reply>
  /** Everything the fixture project holds: every row of every table and every blob name. */
  fingerprint(): string
}

/** Starts the server with a fixture project of one image (with a mask and a label) for this test file. */
export function useFuzzServer(name: string): FuzzServer {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `s4mi-fuzz-${name}-`))
  const projectsDir = path.join(root, 'projects')
  const fixtureDir = path.join(projectsDir, 'fixture')
  let server: RunningServer
  let acceptedCount = 0
  const figures: Record<string, number> = {
    inputs: 0,
    '500s': 0,
    hangs: 0,
    crashes: 0,
    'projects changed by refused input': 0,
    'refusals echoing their input': 0,
  }
  const failures: string[] = []
  const crashes: unknown[] = []
  const onCrash = (e: unknown) => crashes.push(e)
  const session = new Session({
    dataDir: path.join(root, 'data'),
    version: 'fuzz',
    transport: 'http',
    defaultProjectsDir: projectsDir,
  })

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

  function fingerprint(): string {
    const p = session.current
    if (!p || p.dir !== path.resolve(fixtureDir)) return 'another project'
    const h = createHash('sha256')
    const tables = p.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[]
    for (const t of tables)
      h.update(t).update(JSON.stringify(p.db.prepare(`SELECT * FROM "${t}"`).raw().all()))
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

  async function jobReply(send: () => Promise<Reply>): Promise<Reply> {
    const before = fingerprint()
    const start = await send()
    if (!start.body?.ok) return start
    const jobId = (start.body.result as { jobId: string }).jobId
    const job = await Promise.race([
      session.jobs.wait(jobId),
      new Promise<null>((res) => setTimeout(() => res(null), HANG_MS)),
    ])
    if (!job) {
      const e = new Error('job hung')
      e.name = 'TimeoutError'
      throw e
    }
    // A refused import is a failed job: count it as refused, so the project must be as it was.
    if (job.status !== 'succeeded')
      return { status: 400, body: { ok: false, error: { message: job.error ?? job.status } } }
    return { status: 200, body: { ok: fingerprint() !== before } }
  }

  async function tryInput(label: string, send: () => Promise<Reply>): Promise<void> {
    figures.inputs++
    const before = fingerprint()
    const crashesBefore = crashes.length
    let last = Date.now()
    let stall = 0
    const beat = setInterval(() => {
      stall = Math.max(stall, Date.now() - last)
      last = Date.now()
    }, 50)
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
    } finally {
      clearInterval(beat)
      stall = Math.max(stall, Date.now() - last)
    }
    if (stall > STALL_MS) {
      figures.hangs++
      failures.push(`${label}: the server stopped answering anyone for ${stall} ms`)
    }
    if (reply.status >= 500 && reply.status !== 503) {
      figures['500s']++
      failures.push(`${label}: HTTP ${reply.status} ${reply.body?.error?.message ?? ''}`)
    }
    if (crashes.length > crashesBefore) failures.push(`${label}: ${String(crashes.at(-1))}`)
    const refused = reply.status >= 400 || reply.body?.ok === false
    if (!refused) acceptedCount++
    // Errors are clipped (apiFailure.ts): a refusal never echoes a megabyte input back.
    const size = JSON.stringify(reply.body ?? '').length
    if (refused && size > 16_000) {
      figures['refusals echoing their input']++
      failures.push(`${label}: a refusal of ${size} characters`)
    }
    if (refused && fingerprint() !== before) {
      figures['projects changed by refused input']++
      failures.push(
        `${label}: refused (${reply.body?.error?.message ?? reply.status}) but the project changed`,
      )
    }
    await settle()
  }

  beforeAll(async () => {
    process.on('uncaughtException', onCrash)
    process.on('unhandledRejection', onCrash)
    fs.mkdirSync(projectsDir, { recursive: true })
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
    console.log(`fuzz (${name}): ${JSON.stringify(figures)}`)
    await server?.close()
    session.close()
    fs.rmSync(root, { recursive: true, force: true })
  })

  return {
    root,
    projectsDir,
    fixtureDir,
    session,
    figures,
    failures,
    accepted: () => acceptedCount,
    post,
    tryInput,
    jobReply,
    fingerprint,
  }
}
