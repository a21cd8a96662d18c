import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../../engine/backend/wasmBackend'
import { pretrainDino } from './dino'
import { embedImages, knnAccuracy } from './fixtures/knnProbe'
import { shapeImages } from './fixtures/shapeImages'
import { vitRecipeOnResnet } from './fixtures/vitRecipe'

/**
 * Our DINO against the same recipe written in PyTorch (scripts/reference/dino_quick.py, from main_dino.py,
 * not from our code), on the same 96 shape images of 32 px, 60 epochs of 6 steps: the teacher's entropy
 * and KL to the centre, the terms that show collapse, must follow the reference's. Weights and augmentations
 * draw different random numbers on each side, so the curves are compared as 15-epoch means, and the first
 * window (which depends on the random start) only for its direction.
 *
 * Why: on these shapes the k-NN criterion was not met (it is now probed on the demo's lesions instead,
 * sslProbeDino.test.ts), and this says whether that is our code or the recipe at this size. Measured
 * 4 Dec, window means (log 256 = 5.545 nats is a uniform teacher):
 *   teacher entropy: ours 4.67 / 5.39 / 5.39 / 5.39, PyTorch 4.38 / 5.36 / 5.37 / 5.36;
 *   KL to the centre: ours 0.68 / 0.18 / 0.19 / 0.20, PyTorch 1.00 / 0.29 / 0.30 / 0.30;
 *   k-NN after 60 epochs: ours 0.500 (random start 0.417), PyTorch 0.479 (random start 0.479).
 * Both collapse towards a uniform teacher within ~100 steps, and neither beats its random start by 0.1.
 * With the centring switched off (centerMomentum 1, so the centre stays 0) ours collapses the other way,
 * to one prototype (entropy 0.00, KL 5.5), and this test goes red.
 * Opt-in like the probe (S4MI_SSL_PROBE=1, npm run test:ssl-probe); needs python3-torch and
 * python3-torchvision. About a minute.
 */
const enabled = process.env.S4MI_SSL_PROBE === '1'
const python = process.env.S4MI_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
const hasTorch =
  enabled && spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0
const script = fileURLToPath(new URL('../../../../scripts/reference/dino_quick.py', import.meta.url))
const epochs = 60
const windows = [0, 15, 30, 45].map((start) => [start, start + 15] as const)
const images = shapeImages(96, 32, 1)

const windowMeans = (values: number[]) =>
  windows.map(([a, b]) => values.slice(a, b).reduce((s, v) => s + v, 0) / (b - a))

describe.runIf(hasTorch)('DINO quick recipe against PyTorch', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-dino-reference-'))
  beforeAll(async () => {
    await useWasmBackend()
  })
  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true })
    await tf.setBackend('cpu')
  })

  it('the teacher entropy and KL to the centre follow the reference run', async () => {
    const pixelsFile = path.join(tmp, 'images.bin')
    const labelsFile = path.join(tmp, 'labels.json')
    fs.writeFileSync(pixelsFile, images.pixels)
    fs.writeFileSync(labelsFile, JSON.stringify(images.labels))
    const reference = spawnSync(
      python,
      [script, '--images', pixelsFile, '--labels', labelsFile, '--size', '32', '--epochs', String(epochs)],
      { encoding: 'utf8' },
    )
    expect(reference.status, reference.stderr).toBe(0)
    const lines = reference.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const perEpoch = lines.filter((l) => 'epoch' in l)
    const probes = lines.find((l) => 'knnStudent' in l)

    // dinoPresets quick official, with the probe's rate and momentum (dino_quick.py states the same).
    const ours = await pretrainDino({
      images,
      backbone: 'resnet_tiny',
      preset: 'quick',
      seed: 1,
      hyper: {
        ...vitRecipeOnResnet(),
        epochs,
        batchSize: 16,
        lr: 1e-3,
        scaleLrByBatch: false,
        momentumTeacher: 0.99,
        keep: 'student',
      },
    })
    const probe = (state: typeof ours.state | null) =>
      knnAccuracy(embedImages('resnet_tiny', images, state, 1), images.labels)
    const oursEntropy = windowMeans(ours.history.teacherEntropy)
    const refEntropy = windowMeans(perEpoch.map((l) => l.teacherEntropy))
    const oursKl = windowMeans(ours.history.klToCenter)
    const refKl = windowMeans(perEpoch.map((l) => l.klToCenter))
    const row = (v: number[]) => v.map((x) => x.toFixed(2)).join(' / ')
    console.log(
      `DINO quick, 15-epoch means. Teacher entropy: ours ${row(oursEntropy)}, PyTorch ${row(refEntropy)}; ` +
        `KL to centre: ours ${row(oursKl)}, PyTorch ${row(refKl)}. k-NN (batch statistics): ours student ` +
        `${probe(ours.state).toFixed(3)} (random ${probe(null).toFixed(3)}), PyTorch student ` +
        `${probes.knnStudent.toFixed(3)} (random ${probes.knnRandom.toFixed(3)})`,
    )
    expect(perEpoch).toHaveLength(epochs)
    // The first window depends on the random start (each side draws its own): both must rise from it.
    expect(oursEntropy[3] - oursEntropy[0]).toBeGreaterThan(0.3)
    expect(refEntropy[3] - refEntropy[0]).toBeGreaterThan(0.3)
    // After it, where each run settles: the same within 0.2 nats.
    for (const i of [1, 2, 3]) {
      expect(Math.abs(oursEntropy[i] - refEntropy[i])).toBeLessThan(0.2)
      expect(Math.abs(oursKl[i] - refKl[i])).toBeLessThan(0.2)
    }
  }, 600_000)
})
