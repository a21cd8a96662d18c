import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

// A kill of the whole app mid-training (serve mode here; the desktop app and the CLI share the path):
// the run stays 'running' in the project, and opening the project again resumes it from its last
// checkpoint instead of starting over.
const root = path.resolve(__dirname, '..', '..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-resume-'))
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  fs.rmSync(tmp, { recursive: true, force: true })
})

function serve(args: string[]): Promise<{ url: string; key: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'src/server/serve.ts'),
      '--port',
      '0',
      '--data-dir',
      path.join(tmp, 'data'),
      '--projects-dir',
      tmp,
      ...args,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  )
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /serving at (http:\/\/\S+)/.exec(out)
      // The printed address carries this launch's key, which every call must send.
      const address = m && new URL(m[1])
      if (address) resolve({ url: address.origin, key: address.searchParams.get('key') ?? '', child })
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)))
  })
}

async function call(server: { url: string; key: string }, method: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${server.url}/api/${method}`, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/json', 'x-s4mi-token': server.key },
  })
  const body = (await res.json()) as { ok: boolean; result: unknown; error?: { message: string } }
  if (!body.ok) throw new Error(body.error?.message)
  return body.result
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 300_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

function runRow(
  dir: string,
): { status: string; checkpoint_blob: string | null; progress_json: string | null } | undefined {
  const db = new Database(path.join(dir, 'project.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare('SELECT status, checkpoint_blob, progress_json FROM runs ORDER BY id DESC LIMIT 1')
      .get() as never
  } finally {
    db.close()
  }
}

function trainMetricEpochs(dir: string): number[] {
  const db = new Database(path.join(dir, 'project.sqlite'), { readonly: true })
  try {
    return (
      db
        .prepare("SELECT epoch FROM run_metrics WHERE subset = 'train' AND name = 'total' ORDER BY id")
        .all() as { epoch: number }[]
    ).map((r) => r.epoch)
  } finally {
    db.close()
  }
}

describe('a killed app resumes training from the last checkpoint', () => {
  it('keeps the run, and finishes it without redoing finished epochs', async () => {
    const dir = path.join(tmp, 'demo')
    const first = await serve([])
    await call(first, 'demo.create', { dir, variant: 'multi-class', seed: 5, count: 16 })
    await call(first, 'train.start', {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 6 },
    })
    const atKill = await until('a checkpoint', () => {
      const r = runRow(dir)
      return r?.checkpoint_blob ? r : undefined
    })
    // Kill the app and its worker together, as a crash or power cut would.
    process.kill(-first.child.pid!, 'SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    const epochAtKill = (JSON.parse(atKill.progress_json ?? '{}') as { epoch?: number }).epoch ?? 0
    expect(epochAtKill).toBeGreaterThanOrEqual(1)
    expect(runRow(dir)?.status).toBe('running')
    const rowsBefore = trainMetricEpochs(dir).length

    await serve(['--project', dir])
    const done = await until('the resumed run to finish', () => {
      const r = runRow(dir)
      return r && r.status !== 'running' && r.status !== 'queued' ? r : undefined
    })
    expect(done.status).toBe('succeeded')
    const after = trainMetricEpochs(dir).slice(rowsBefore)
    // The resumed worker starts after the checkpointed epoch and runs to the last one.
    expect(after.length).toBeGreaterThan(0)
    expect(Math.min(...after)).toBeGreaterThan(epochAtKill)
    expect(Math.max(...after)).toBe(6)
  }, 600_000)
})
