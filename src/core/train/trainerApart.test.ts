import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDemoProject } from '../demo/createDemoProject'
import { findMethod } from '../methods/catalogue'
import { PREDICTION_BATCH } from '../methods/segmentation/predictionBatches'
import type { Task } from '../methods/catalogueEntry'
import type { Hyper, Method, TrainContext } from '../methods/method'
import { parseSafetensors } from '../models/nn/safetensors'
import { tinyRunHyper } from '../methods/fixtures/tinyRuns'
import { closeProject, type Project } from '../store/project'
import { getRun, runLog, runMetrics } from '../store/runs'
import { executeRun, PREDICTED_APART, predictedOnHost } from './executeRun'
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

/** What the trainers at the far end of a port were asked to predict, and whether they were released. */
const trainerSide = { predicts: 0, releases: 0 }

/**
 * How the window behaves once trained: it predicts; it is gone (closed, crashed) when the host first asks it
 * to predict; or its prediction fails there (out of GPU memory, say).
 */
type WindowAfterTraining = 'predicts' | 'closes' | 'fails'

/** A trainer at the far end of a MessagePort, serving the catalogue's methods. */
function trainerOverPort(after: WindowAfterTraining = 'predicts') {
  const { port1, port2 } = new MessageChannel()
  const trainerEnd = portEnd<HostToTrainer, TrainerToHost>(port2)
  serveTrainer(
    {
      ...trainerEnd,
      post: (m) =>
        trainerEnd.post(
          m.type === 'prediction' && after === 'fails'
            ? { type: 'predictionFailed', id: m.id, message: 'out of GPU memory' }
            : m,
        ),
      onMessage: (l) =>
        trainerEnd.onMessage((m) => {
          if (m.type === 'predict' && after === 'closes') return port2.close()
          if (m.type === 'predict') trainerSide.predicts++
          if (m.type === 'release') trainerSide.releases++
          l(m)
        }),
    },
    (task, id) => findMethod(task, id).method,
  )
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
  after: WindowAfterTraining = 'predicts',
) {
  return executeRun(projects[side].dir, runId, {
    post: () => {},
    signal: new AbortController().signal,
    backend,
    ...(side === 'apart' ? { trainer: trainerOverPort(after) } : {}),
    ...opts,
  })
}

async function train(
  side: 'inProcess' | 'apart',
  task: Task,
  method: string,
  after: WindowAfterTraining = 'predicts',
) {
  const runId = newRun(side, task, method)
  return { runId, metrics: await execute(side, runId, {}, after) }
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
    // The one line that differs: where the images were predicted (checked below).
    log: runLog(project, runId)
      .map((l) => l.line)
      .filter((l) => l !== PREDICTED_APART && !l.startsWith(predictedOnHost('').split('(')[0])),
    predictedApart: runLog(project, runId).some((l) => l.line === PREDICTED_APART),
    predictedOnHost: runLog(project, runId).some((l) => l.line.startsWith(predictedOnHost('').split('(')[0])),
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
      const before = { ...trainerSide, tensors: tf.memory().numTensors }
      const apart = await train('apart', task, method)
      expect(apart.metrics).toEqual(here.metrics)
      const want = stored('inProcess', here.runId)
      const got = stored('apart', apart.runId)
      expect({ ...got, predictedApart: false }).toEqual(want)
      expect(got.predictedApart).toBe(task === 'segmentation')
      expect(got.predictedOnHost).toBe(false)
      expect(got.status).toBe('succeeded')
      // Segmentation: the trainer's own networks predicted the 12 images, PREDICTION_BATCH to a message,
      // then it freed them.
      if (task === 'segmentation') expect(got.predictions.length).toBe(12)
      expect(trainerSide.predicts - before.predicts).toBe(task === 'segmentation' ? 12 / PREDICTION_BATCH : 0)
      // The release crosses the port after the run ends.
      await vi.waitFor(() => expect(trainerSide.releases - before.releases).toBe(1))
      await vi.waitFor(() => expect(tf.memory().numTensors).toBe(before.tensors))
    }, 300_000)
  }

  const unable: [Exclude<WindowAfterTraining, 'predicts'>, string][] = [
    ['closes', 'The training window cannot predict: it closed'],
    ['fails', 'out of GPU memory'],
  ]
  it.each(unable)(
    'a window that %s when asked to predict: the host predicts from the checkpoint, the same masks, and says why',
    async (after, why) => {
      // Cross teaching: the host must rebuild the network the run reports (the CNN), not its partner.
      const here = await train('inProcess', 'segmentation', 'cross-teaching')
      const apart = await train('apart', 'segmentation', 'cross-teaching', after)
      const want = stored('inProcess', here.runId)
      const got = stored('apart', apart.runId)
      expect({ ...got, predictedOnHost: false }).toEqual(want)
      expect(got.predictedOnHost).toBe(true)
      expect(runLog(projects.apart, apart.runId).map((l) => l.line)).toContain(
        predictedOnHost(new Error(why)),
      )
    },
    300_000,
  )
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
    // A half-precision file (as timm shares many): 1, 2, 3, 4.5 as IEEE float16.
    const bytes = halfPrecisionSafetensors('conv1.weight', [2, 2], [0x3c00, 0x4000, 0x4200, 0x4480])
    const asked: string[] = []
    let reads = 0
    const seen: Record<string, number> = {}
    // A method that reports what its context gave it.
    const probe: Method<unknown> = {
      task: 'classification',
      name: 'probe',
      defaults: () => ({}),
      train: async (ctx: TrainContext<unknown>) => {
        const found = await ctx.imagenetWeights!('resnet50')
        const none = await ctx.imagenetWeights!('vit_b_16')
        // Finding the file reads nothing; load() does.
        seen.readsWhenFound = reads
        const conv1 = (await found!.load()).weights.tensors.get('conv1.weight')!
        seen.readsWhenLoaded = reads
        seen.weightSum = [...conv1.toFloat32()].reduce((a, b) => a + b)
        // The file's own bytes crossed, not a float32 copy of them.
        seen.stillHalf = conv1.dtype === 'F16' ? 1 : 0
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
          const file = '/weights/resnet50.safetensors'
          const load = async () => {
            reads++
            return { file, weights: parseSafetensors(bytes, 'resnet50') }
          }
          return architecture === 'resnet50' ? { file, load } : null
        },
      },
    )
    // The load asks the host's lookup again (the trainer holds only the file's name).
    expect(asked).toEqual(['resnet50', 'vit_b_16', 'resnet50'])
    expect(result.metrics).toEqual({
      readsWhenFound: 0,
      readsWhenLoaded: 1,
      weightSum: 10.5,
      stillHalf: 1,
      fromFile: 1,
      none: 1,
      memory: 12_345,
      gpuMemory: 678,
    })
  })
})

/** A safetensors file of one float16 tensor, written by hand (encodeSafetensors writes float32 only). */
function halfPrecisionSafetensors(name: string, shape: number[], halves: number[]): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({ [name]: { dtype: 'F16', shape, data_offsets: [0, halves.length * 2] } }),
  )
  const bytes = new Uint8Array(8 + header.length + halves.length * 2)
  const view = new DataView(bytes.buffer)
  view.setBigUint64(0, BigInt(header.length), true)
  bytes.set(header, 8)
  halves.forEach((h, i) => view.setUint16(8 + header.length + i * 2, h, true))
  return bytes
}
