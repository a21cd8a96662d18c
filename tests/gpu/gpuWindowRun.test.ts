// The desktop app's GPU training window as it ships: its page (out of scripts/desktop/gpuWindowScript.ts, the
// same function the build uses) in headless Chromium, where it has no Node, no require and no Electron, only
// its two MessagePorts. The run's host is this test's process (the worker loop of the utility process, with
// the project). The window chooses WebGL or WebGPU (forced, so SwiftShader may serve), trains the run the
// host gives it, and the host stores the run: its metrics, its log, and for segmentation the predicted masks
// of every image, which the window's trained networks predict for the host, image by image.
import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gpuWindowPageWithScript } from '../../scripts/desktop/gpuWindowScript'
import { createDemoProject } from '../../src/core/demo/createDemoProject'
import type { Task } from '../../src/core/methods/catalogueEntry'
import { tinyRunHyper } from '../../src/core/methods/fixtures/tinyRuns'
import { closeProject, type Project } from '../../src/core/store/project'
import { getRun, runLog } from '../../src/core/store/runs'
import { PREDICTED_APART } from '../../src/core/train/executeRun'
import { gpuWindowWithHost, type GpuWindowChannel } from '../../src/core/train/gpuWindowWithHost'
import { inProcessHost } from '../../src/core/train/fixtures/inProcessHost'
import type { HostToTrainer, MessageEnd, TrainerToHost } from '../../src/core/train/trainerMessages'
import { createSeedRun } from '../../src/core/train/trainingJobs'
import type { FromWorker, ToWorker } from '../../src/core/train/workerProtocol'
import { chromiumAvailable, CHROMIUM, servedChromium, type GpuBackend } from './chromiumGpu'

type Served = Awaited<ReturnType<typeof servedChromium>>
type PortName = 'jobs' | 'trainer'

let served: Served
let dir: string
let project: Project

/** What the test adds to the page: both ends of each channel, the far ends relayed to this process. */
interface Bridge {
  s4miFar: Record<PortName, { postMessage(m: unknown): void }>
  s4miNear: Record<PortName, unknown>
  s4miToNode(name: PortName, m: unknown): void
}

/**
 * The page with its ports: each name a MessageChannel made in the page, one end kept for the page's window
 * (posted to it as the preload does, 'jobs' at once, 'trainer' when the host starts), the other relayed to
 * and from this process.
 */
async function windowPage(listeners: Record<PortName, (m: unknown) => void>): Promise<Page> {
  const page = await served.browser.newPage()
  await page.exposeFunction('s4miToNode', (name: PortName, m: unknown) => listeners[name](m))
  page.on('pageerror', (e) => console.error(`GPU window page error: ${e.message}`))
  await page.goto(served.url)
  await page.evaluate(() => {
    const g = globalThis as unknown as Bridge & { postMessage(m: unknown, o: string, t: unknown[]): void }
    g.s4miFar = {} as Bridge['s4miFar']
    g.s4miNear = {} as Bridge['s4miNear']
    for (const name of ['jobs', 'trainer'] as const) {
      // The page's MessageChannel (this file is typed for Node, whose MessageChannel differs).
      const channel = new MessageChannel() as unknown as {
        port1: unknown
        port2: { onmessage: ((ev: { data: unknown }) => void) | null; postMessage(m: unknown): void }
      }
      channel.port2.onmessage = (ev) => g.s4miToNode(name, ev.data)
      g.s4miFar[name] = channel.port2
      g.s4miNear[name] = channel.port1
    }
    g.postMessage({ s4miPort: 'jobs' }, '*', [g.s4miNear.jobs])
  })
  return page
}

const toPage = (page: Page, name: PortName, m: unknown) =>
  void page.evaluate(
    ([n, msg]) => (globalThis as unknown as Bridge).s4miFar[n as PortName].postMessage(msg),
    [name, m] as const,
  )

/** The GPU job as gpuFirstLauncher would run it: this page as the window, this process as the run's host. */
async function gpuJob(message: ToWorker) {
  const listeners: Record<PortName, (m: unknown) => void> = { jobs: () => {}, trainer: () => {} }
  const page = await windowPage(listeners)
  const window: GpuWindowChannel = {
    send: (m) => toPage(page, 'jobs', m),
    onMessage: (l) => (listeners.jobs = (m) => l(m as FromWorker)),
    onExit: () => {},
    kill: () => void page.close(),
    connectTrainer: () =>
      void page.evaluate(() => {
        const g = globalThis as unknown as Bridge & { postMessage(m: unknown, o: string, t: unknown[]): void }
        g.postMessage({ s4miPort: 'trainer' }, '*', [g.s4miNear.trainer])
      }),
  }
  const trainerEnd: MessageEnd<TrainerToHost, HostToTrainer> = {
    post: (m) => toPage(page, 'trainer', m),
    onMessage: (l) => (listeners.trainer = (m) => l(m as TrainerToHost)),
  }
  const worker = gpuWindowWithHost({
    openWindow: () => window,
    startHost: () => inProcessHost(() => trainerEnd),
    channel: () => ['page', 'host'],
  })()
  const messages: FromWorker[] = []
  worker.onMessage((m) => messages.push(m))
  // The job ends when its worker exits, or when the window hands it back (gpuFirstLauncher then closes it).
  const ended = new Promise<number | null>((r) => {
    worker.onExit(r)
    worker.onMessage((m) => m.type === 'gpuUnavailable' && r(null))
  })
  worker.send(message)
  const code = await ended
  worker.kill()
  return { messages, code }
}

function newRun(task: Task, method: string): number {
  const request = {
    task,
    method,
    labelFraction: 1,
    seeds: 1,
    preset: 'quick' as const,
    overrides: tinyRunHyper[`${task}/${method}`],
  }
  return createSeedRun(project, request, 0, null)
}

describe.skipIf(!chromiumAvailable())(
  `the sandboxed GPU window trains a run in Chromium (${CHROMIUM})`,
  () => {
    beforeAll(async () => {
      await tf.setBackend('cpu')
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-gpu-window-run-'))
      project = (await createDemoProject(path.join(dir, 'p'), { count: 12, seed: 3 })).project
      served = await servedChromium(await gpuWindowPageWithScript())
    }, 180_000)

    afterAll(async () => {
      await served?.close()
      if (project) closeProject(project)
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    it('without a forced backend, SwiftShader is refused: the job goes back with a reason for each', async () => {
      const { messages } = await gpuJob({ type: 'probe' })
      expect(messages).toHaveLength(1)
      const [answer] = messages as (FromWorker & { type: 'gpuUnavailable' })[]
      expect(answer.type).toBe('gpuUnavailable')
      expect(answer.webgpu).toMatch(/software adapter|no WebGPU|read-back/)
      expect(answer.webgl).toMatch(/only a software adapter, GPU \(WebGL2: .*SwiftShader/)
    }, 120_000)

    // SwiftShader is slow: npm test trains the segmentation run (the window also predicts every image for the
    // host); npm run test:gpu all three (about 2.5 minutes).
    const all: [GpuBackend, Task, string][] = [
      ['webgl', 'segmentation', 'supervised'],
      ['webgl', 'classification', 'dino'],
      ['webgpu', 'classification', 'supervised'],
    ]
    const cases = process.env.S4MI_GPU_WINDOW_ALL === '1' ? all : all.slice(0, 1)
    it.each(cases)(
      '%s: %s %s trains in the window and the host stores the run',
      async (backend, task, method) => {
        const runId = newRun(task, method)
        const { messages, code } = await gpuJob({
          type: 'run',
          projectDir: project.dir,
          runId,
          threads: 1,
          forcedGpu: backend,
        })
        expect(code).toBe(0)
        expect(messages[0]).toMatchObject({ type: 'backend', name: backend })
        expect((messages[0] as { device: string }).device).toMatch(/SwiftShader/i)
        expect(messages.some((m) => m.type === 'progress')).toBe(true)
        const done = messages.at(-1) as FromWorker & { type: 'done' }
        expect(done.type, JSON.stringify(messages.at(-1))).toBe('done')
        const run = getRun(project, runId)
        expect(run.status).toBe('succeeded')
        expect(run.backend).toMatch(new RegExp(`^${backend} \\(GPU \\(`))
        expect(runLog(project, runId).map((l) => l.line)[0]).toMatch(new RegExp(`^Training on ${backend}`))
        const scores = task === 'segmentation' ? ['testIou', 'testDice'] : ['testF1Macro', 'testRecallMacro']
        for (const s of scores) expect(Number.isFinite(done.metrics[s]), s).toBe(true)
        if (task === 'segmentation') {
          const predicted = project.db
            .prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?')
            .get(runId)
          expect(predicted).toEqual({ n: 12 })
          const log = runLog(project, runId).map((l) => l.line)
          expect(log).toContain(PREDICTED_APART)
          expect(log.filter((l) => l.includes('could not predict'))).toEqual([])
        }
        console.log(
          `${backend} ${task} ${method}: ${scores.map((s) => `${s} ${done.metrics[s].toFixed(3)}`).join(', ')}`,
        )
      },
      600_000,
    )
  },
)
