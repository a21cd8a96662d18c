import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject } from '../demo/createDemoProject'
import { findMethod } from '../methods/catalogue'
import type { Task } from '../methods/catalogueEntry'
import type { Hyper, Method, TrainContext } from '../methods/method'
import { encodeSafetensors, parseSafetensors } from '../models/nn/safetensors'
import { tinyRunHyper } from '../methods/fixtures/tinyRuns'
import { closeProject, type Project } from '../store/project'
import { getRun, runLog, runMetrics } from '../store/runs'
import { executeRun, PREDICTED_APART } from './executeRun'
import { serveTrainer } from './runTrainer'
import { trainerApart } from './trainer'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'
import { createSeedRun } from './trainingJobs'

/**
 * A run trained apart from its host — the trainer at the far end of a real MessagePort, every message
 * structured-cloned as between the worker process and the GPU window — stores exactly what the same run
 * trained in the host's process stores: metrics, loss curves, log, checkpoint, and (segmentation) the
 * predicted masks, which the host then predicts from the run's last checkpoint instead of the trainer's nets.
 * Two demo projects from the same seed hold the same images, so each side pretrains for itself.
 */

const backend = { name: 'cpu', device: 'cpu', warning: null }
let dir: string
const projects: Record<'inProcess' | 'apart', Project> = {} as never
const ports: MessagePort[] = []

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-trainer-apart-'))
  for (const side of ['inProcess', 'apart'] as const)
    projects[side] = (await createDemoProject(path.join(dir, side), { count: 12, seed: 3 })).project
}, 120_000)

afterAll(() => {
  for (const p of ports) p.close()
  for (const p of Object.values(projects)) closeProject(p)
  fs.rmSync(dir, { recursive: true, force: true })
})

function portEnd<In, Out>(port: MessagePort): MessageEnd<In, Out> {
  ports.push(port)
  return {
    post: (m) => port.postMessage(m),
    onMessage: (l) => port.on('message', (m: In) => l(m)),
    onClose: (l) => port.on('close', l),
  }
}

/** A trainer at the far end of a MessagePort, serving the catalogue's methods. */
function trainerOverPort() {
  const { port1, port2 } = new MessageChannel()
  serveTrainer(portEnd<HostToTrainer, TrainerToHost>(port2), (task, id) => findMethod(task, id).method)
  return trainerApart(portEnd<TrainerToHost, HostToTrainer>(port1))
}

function newRun(side: 'inProcess' | 'apart', task: Task, method: string, overrides?: Hyper) {
  const request = {
    task,
    method,
    labelFraction: method === 'picie' ? 0 : 1,
    seeds: 1,
    preset: 'quick' as const,
    overrides: overrides ?? tinyRunHyper[`${task}/${method}`],
  }
  return createSeedRun(projects[side], request, 0, 'cpu (cpu)')
}

function execute(
  side: 'inProcess' | 'apart',
  runId: number,
  opts: Partial<Parameters<typeof executeRun>[2]> = {},
) {
  return executeRun(projects[side].dir, runId, {
    post: () => {},
    signal: new AbortController().signal,
    backend,
    ...(side === 'apart' ? { trainer: trainerOverPort() } : {}),
    ...opts,
  })
}

async function train(side: 'inProcess' | 'apart', task: Task, method: string) {
  const runId = newRun(side, task, method)
  return { runId, metrics: await execute(side, runId) }
}

/** What a run left in its project, without ids and times. */
function stored(side: 'inProcess' | 'apart', runId: number) {
  const project = projects[side]
  const run = getRun(project, runId)
  const predictions = project.db
    .prepare(
      `SELECT i.name, p.blob FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? ORDER BY i.name`,
    )
    .all(runId)
  return {
    status: run.status,
    checkpoint: run.checkpointBlob,
    curves: runMetrics(project, runId).map(({ epoch, step, subset, name, value }) => ({
      epoch,
      step,
      subset,
      name,
      value,
    })),
    // The one line that differs: where the host predicted the images (checked below).
    log: runLog(project, runId)
      .map((l) => l.line)
      .filter((l) => l !== PREDICTED_APART),
    predictedApart: runLog(project, runId).some((l) => l.line === PREDICTED_APART),
    predictions,
  }
}

describe('a run trained apart from its host stores what the same run trained in its process does', () => {
  const cases: [Task, string][] = [
    ['segmentation', 'supervised'],
    ['segmentation', 'cross-teaching'],
    ['segmentation', 'picie'],
    ['classification', 'supervised'],
    ['classification', 'dino'],
    ['classification', 'cass'],
  ]
  for (const [task, method] of cases) {
    it(`${task} ${method}`, async () => {
      const here = await train('inProcess', task, method)
      const apart = await train('apart', task, method)
      expect(apart.metrics).toEqual(here.metrics)
      const want = stored('inProcess', here.runId)
      const got = stored('apart', apart.runId)
      expect({ ...got, predictedApart: false }).toEqual(want)
      expect(got.predictedApart).toBe(task === 'segmentation')
      expect(got.status).toBe('succeeded')
      if (task === 'segmentation') expect(got.predictions.length).toBe(12)
    }, 300_000)
  }
})

describe('a run trained apart, cancelled and resumed', () => {
  it('resumes from the checkpoint its host kept and ends as the run trained without a stop', async () => {
    const overrides = { epochs: 3, batchSize: 4 }
    const want = await execute('inProcess', newRun('inProcess', 'classification', 'supervised', overrides))
    const runId = newRun('apart', 'classification', 'supervised', overrides)
    const stop = new AbortController()
    await expect(
      execute('apart', runId, {
        signal: stop.signal,
        // Stop once the second epoch has begun: the first epoch's checkpoint is with the host.
        post: (m) => m.type === 'progress' && m.progress.epoch === 2 && stop.abort(),
      }),
    ).rejects.toThrow()
    expect(getRun(projects.apart, runId).status).toBe('cancelled')
    expect(getRun(projects.apart, runId).checkpointBlob).not.toBeNull()
    const epochs: number[] = []
    const resumed = await execute('apart', runId, {
      post: (m) => m.type === 'progress' && m.progress.epoch && epochs.push(m.progress.epoch),
    })
    // It went on from the epoch it stopped in (or the next), not from the start.
    expect(Math.min(...epochs)).toBeGreaterThan(1)
    expect(resumed).toEqual(want)
  }, 300_000)
})

describe('what the host knows and the trainer cannot ask for itself', () => {
  it("crosses to the trainer: the machine's memory and the user's ImageNet weights, looked up on the host", async () => {
    const values = new Float32Array([1, 2, 3, 4.5])
    const bytes = encodeSafetensors(new Map([['conv1.weight', { shape: [2, 2], data: values }]]))
    const asked: string[] = []
    const seen: Record<string, number> = {}
    // A method that reports what its context gave it.
    const probe: Method<unknown> = {
      task: 'classification',
      name: 'probe',
      defaults: () => ({}),
      train: async (ctx: TrainContext<unknown>) => {
        const found = await ctx.imagenetWeights!('resnet50')
        const none = await ctx.imagenetWeights!('vit_b_16')
        seen.weightSum = [...found!.weights.tensors.get('conv1.weight')!.toFloat32()].reduce((a, b) => a + b)
        seen.fromFile = found!.file === '/weights/resnet50.safetensors' ? 1 : 0
        seen.none = none === null ? 1 : 0
        seen.memory = ctx.machine!.totalMemoryBytes
        seen.gpuMemory = ctx.machine!.gpuMemoryBytes!
        return { hyper: {}, metrics: seen, predict: () => tf.zeros([1]), dispose: () => {} }
      },
    }
    const { port1, port2 } = new MessageChannel()
    serveTrainer(portEnd<HostToTrainer, TrainerToHost>(port2), () => probe)
    const result = await trainerApart(portEnd<TrainerToHost, HostToTrainer>(port1)).train(
      { task: 'classification', method: 'probe' },
      {
        data: { labelled: { ids: [] }, unlabelled: { ids: [] }, val: { ids: [] }, test: { ids: [] } },
        preset: 'quick',
        seed: 0,
        machine: { totalMemoryBytes: 12_345, gpuMemoryBytes: 678 },
        imagenetWeights: async (architecture) => {
          asked.push(architecture)
          return architecture === 'resnet50'
            ? { file: '/weights/resnet50.safetensors', weights: parseSafetensors(bytes, 'resnet50') }
            : null
        },
      },
    )
    expect(asked).toEqual(['resnet50', 'vit_b_16'])
    expect(result.metrics).toEqual({ weightSum: 10.5, fromFile: 1, none: 1, memory: 12_345, gpuMemory: 678 })
  })
})
