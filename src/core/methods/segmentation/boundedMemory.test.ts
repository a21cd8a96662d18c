import * as tf from '@tensorflow/tfjs'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeProject } from '../../store/project'
import { crossTeachingMethod } from './crossTeaching'
import { blobData } from './fixtures/blobData'
import { createGeneratedProject } from './fixtures/generatedProject'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import { PREFETCH_BATCHES, type SegmentationData } from './segmentationData'
import { supervisedMethod } from './supervised'

/**
 * Memory bounded by the batch, not the dataset. Fast (npm test): every method reads its images only
 * through the sets' batch reads, never more than a batch at a time and never more than PREFETCH_BATCHES
 * ahead, so nothing can hold a split whole. Full (npm run test:memory): each method in a process of its
 * own on a generated project of 2,000 images at 224 px, its peak RSS under a limit set from the batch.
 */

function watchReads(data: SegmentationData) {
  const seen = { largest: 0, inFlight: 0, mostInFlight: 0, reads: 0 }
  for (const set of [data.labelled, data.unlabelled, data.val, data.test]) {
    const read = set.read.bind(set)
    set.read = async (idx) => {
      seen.reads++
      seen.largest = Math.max(seen.largest, idx.length)
      seen.inFlight++
      seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight)
      try {
        return await read(idx)
      } finally {
        seen.inFlight--
      }
    }
  }
  return seen
}

describe('methods read their data batch by batch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })
  const data = () => blobData({ size: 16, labelled: 12, unlabelled: 20, val: 10, test: 11 })

  it('supervised: no read above the batch size, at most the prefetch ahead', async () => {
    const d = data()
    const seen = watchReads(d)
    const r = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data: d,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 2, batchSize: 4 },
    })
    r.dispose()
    // Training reads 4 at a time; scoring 8 (the scoring batch).
    expect(seen.largest).toBe(8)
    expect(seen.reads).toBeGreaterThanOrEqual(2 * 3 + 2 + 2)
    expect(seen.mostInFlight).toBeLessThanOrEqual(PREFETCH_BATCHES + 1)
  })

  it('cross teaching: the two halves of each batch, a few batches ahead', async () => {
    const d = data()
    const seen = watchReads(d)
    const r = await crossTeachingMethod({ cnn: tinySegmentationNet(), swin: tinySegmentationNet() }).train({
      data: d,
      preset: 'quick',
      seed: 0,
      hyper: { maxIterations: 6, labelledPerBatch: 3, unlabelledPerBatch: 3 },
    })
    r.dispose()
    expect(seen.largest).toBe(8)
    // Labelled and unlabelled halves are read together: two reads per batch in flight.
    expect(seen.mostInFlight).toBeLessThanOrEqual(2 * (PREFETCH_BATCHES + 1))
  })

  it('PiCIE: clustering, labelling, training and scoring all batch by batch', async () => {
    const d = data()
    const seen = watchReads(d)
    const r = await picieMethod({ backbone: tinyFeatureNet() }).train({
      data: d,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 1, batchSize: 4, clusterBatchSize: 5, initBatches: 2 },
    })
    r.dispose()
    expect(seen.largest).toBeLessThanOrEqual(8)
    // The pool is the labelled and unlabelled sets read as one: each pool read is up to two set reads.
    expect(seen.mostInFlight).toBeLessThanOrEqual(2 * (PREFETCH_BATCHES + 1))
  })
})

/** Runtime, tfjs's wasm heap and sharp: what a process holds before any batch. */
const BASE_MIB = 384
/** Activations and their gradients at 224 px for one image of the batch, with the test's small nets. */
const PER_BATCH_IMAGE_MIB = 80

describe.runIf(process.env.S4MI_MEMORY_FULL)('peak memory on a 2,000-image project at 224 px', () => {
  const count = 2000
  const size = 224
  const batch = 8
  const limitMiB = BASE_MIB + PER_BATCH_IMAGE_MIB * batch
  let dir: string
  let ids: { splitId: number; labelFractionId: number }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-memory-'))
    const g = await createGeneratedProject(path.join(dir, 'p'), { count, size, labelled: 16 })
    ids = { splitId: g.splitId, labelFractionId: g.labelFractionId }
    closeProject(g.project)
  }, 600_000)

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  // Held whole as before, the training split alone is 1,400 × 224² × 3 floats + bytes: 1.05 GiB.
  it.each([
    ['supervised', ''],
    ['cross-teaching', ''],
    // PiCIE clusters all 1,400 training images per view before its first step (minutes here): cut after
    // 40 batch reads, well into its first k-means pass, the pool of every training image set up.
    ['picie', '40'],
  ])(
    '%s stays under the limit',
    async (method, maxReads) => {
      const script = path.join(__dirname, 'fixtures', 'memoryRun.ts')
      const args = [script, path.join(dir, 'p'), method, String(ids.splitId), String(ids.labelFractionId)]
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', ...args, String(size), String(batch), ...(maxReads ? [maxReads] : [])],
        { maxBuffer: 1 << 24 },
      )
      const r = JSON.parse(stdout.trim().split('\n').pop()!)
      console.log(
        `${method}: peak RSS ${r.maxRssMiB.toFixed(0)} MiB (limit ${limitMiB}) in ${r.seconds} s`,
        r,
      )
      expect(r.counts.train + r.counts.val + r.counts.test).toBe(count)
      expect(r.largestRead).toBeLessThanOrEqual(batch)
      expect(r.maxRssMiB).toBeLessThan(limitMiB)
    },
    1_200_000,
  )
})
