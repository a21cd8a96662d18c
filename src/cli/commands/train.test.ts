import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject } from '../../core/demo/createDemoProject'
import { closeProject } from '../../core/store/project'
import { listRuns } from '../../core/store/runs'
import { finalMetrics } from '../../core/eval/resultsTable'
import { trivialAnswer } from '../../shared/trivialAnswer'
import { activeLabelFraction } from '../../core/store/splits'
import { openProject } from '../../core/store/project'
import { decodeMaskPng } from '../../core/data/maskRaster'
import { capturedCli as cli } from '../fixtures/capturedCli'
import { formatInterval, segmentationSummary } from './train'

let dir: string
let projectDir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cli-train-'))
  projectDir = path.join(dir, 'p')
  closeProject((await createDemoProject(projectDir, { count: 12, seed: 9 })).project)
})

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

// Real training on the CPU backend: on a machine shared by several test runs it takes minutes, not seconds.
describe('s4mi train', () => {
  it('trains the seeds on the chosen labelled set, stores the runs and prints IoU and Dice as mean ± 95 % CI', async () => {
    // No --fraction: the project's active labelled set (the demo chose 30 %), the same for every seed.
    const r = await cli([
      'train',
      projectDir,
      '--method',
      'supervised',
      '--seeds',
      '2',
      '--set',
      'epochs=1',
      '--set',
      'batchSize=4',
      '--backend',
      'cpu',
    ])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/Training backend: cpu/)
    expect(r.out).toMatch(/supervised · the chosen labelled set · quick preset/)
    expect(r.out).toMatch(
      /seed 0 · epoch 1\/1 · step \d+\/\d+ · total loss [\d.]+ · Dice loss [\d.]+ · cross-entropy [\d.]+/,
    )
    // Then every image of the project predicted, counted to the last, with the time left.
    expect(r.out).toMatch(/seed 0 · Predicting the project's images · (\d+) of \1 images · 0 s left/)
    expect(r.out).toMatch(/IoU {2}\d\.\d{3} ± \d\.\d{3} \(95 % CI, n = 2; not meaningful below 3 seeds\)/)
    expect(r.out).toMatch(/Dice \d\.\d{3} ± \d\.\d{3} \(95 % CI, n = 2; not meaningful below 3 seeds\)/)
    expect(r.out).toMatch(/per-image mean IoU \d\.\d{3} ± \d\.\d{3}/)
    expect(r.out).toMatch(/mIoU of background and foreground \d\.\d{3} ± \d\.\d{3}/)
    expect(r.out).toMatch(/seed 0: IoU \d\.\d{3} · Dice \d\.\d{3} \(dataset-level\)/)
    const project = openProject(projectDir)
    try {
      const runs = listRuns(project)
      expect(runs.map((x) => [x.method, x.labelFraction, x.seed, x.status])).toEqual([
        ['supervised', 0.3, 0, 'succeeded'],
        ['supervised', 0.3, 1, 'succeeded'],
      ])
      const active = activeLabelFraction(project)
      expect(runs.map((x) => (x.config as { labelFractionId: number }).labelFractionId)).toEqual([
        active?.id,
        active?.id,
      ])
      expect(runs[0].datasetVersion).toBe(runs[1].datasetVersion)
      expect((runs[0].config as { overrides: unknown }).overrides).toEqual({ epochs: 1, batchSize: 4 })
    } finally {
      closeProject(project)
    }
  }, 180_000)
  it('says what is wrong with bad options', async () => {
    expect((await cli(['train', projectDir, '--method', 'supervised', '--fraction', '150'])).err).toMatch(
      /--fraction must be a percentage 0..100 or 'user' or 'active'/,
    )
    expect((await cli(['train', projectDir, '--method', 'dino'])).err).toMatch(
      /--method dino is a classification method: add --task classification/,
    )
    expect((await cli(['train', projectDir, '--method', 'picie', '--task', 'classification'])).err).toMatch(
      /picie is a segmentation method/,
    )
    expect(
      (await cli(['train', projectDir, '--method', 'supervised', '--backbone', 'resnet50'])).err,
    ).toMatch(/--backbone and --dino-preset are for --task classification/)
    const classify = ['train', projectDir, '--task', 'classification', '--backend', 'cpu']
    expect(
      (await cli([...classify, '--method', 'supervised', '--backbone', 'resnet50+vit_b16'])).err,
    ).toMatch(/a CNN \+ Transformer pair is for CASS/)
    expect((await cli([...classify, '--method', 'cass', '--backbone', 'resnet50'])).err).toMatch(
      /CASS trains a CNN and a Transformer together: --backbone takes a pair, one of resnet50\+vit_b16/,
    )
    const unknown = await cli([
      'train',
      projectDir,
      '--method',
      'supervised',
      '--set',
      'epoch=2',
      '--backend',
      'cpu',
    ])
    expect(unknown.code).not.toBe(0)
    expect(unknown.err).toMatch(/no hyperparameter 'epoch'/)
    // Refused before a backend was chosen or announced.
    expect(unknown.out).not.toMatch(/Training backend/)
    const project = openProject(projectDir)
    expect(listRuns(project).length).toBe(2) // nothing half-started
    closeProject(project)
  })
  it('runs one series per fraction of a list', async () => {
    const r = await cli([
      'train',
      projectDir,
      '--method',
      'supervised',
      '--fraction',
      '50,100',
      '--seeds',
      '1',
      '--set',
      'epochs=1',
      '--set',
      'batchSize=4',
      '--backend',
      'cpu',
      '--predictions-out',
      path.join(dir, 'predicted'),
    ])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(
      /supervised · 50 % labels · quick preset\n {2}dataset-level \(TP, FP, FN summed over the test set, as the paper reports\):\n {2}IoU {2}\d\.\d{3} \(1 seed, no interval\)/,
    )
    expect(r.out).toMatch(/supervised · 100 % labels · quick preset/)
    const folder = path.join(dir, 'predicted', '50', 'seed-0')
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.png'))
    expect(files.length).toBe(12) // every image of the project
    // Beside them, COCO with the project's one mask class as its category.
    const coco = JSON.parse(fs.readFileSync(path.join(folder, 'predictions.coco.json'), 'utf8'))
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(['lesion'])
    const png = await decodeMaskPng(fs.readFileSync(path.join(folder, files[0])), files[0])
    expect(png.data.every((v) => v === 0 || v === 255)).toBe(true)
  }, 180_000)
  it('trains a classifier: F1 (macro and weighted) and recall as mean ± 95 % CI over the seeds', async () => {
    const r = await cli([
      'train',
      projectDir,
      '--task',
      'classification',
      '--method',
      'supervised',
      '--backbone',
      'resnet_tiny',
      '--fraction',
      '100',
      '--seeds',
      '2',
      '--set',
      'epochs=2',
      '--backend',
      'cpu',
    ])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/seed 0 · epoch 2\/2 · step \d+\/\d+ · fine-tuning loss [\d.]+/)
    expect(r.out).toMatch(/seed 1: F1 macro \d\.\d{3} · F1 weighted \d\.\d{3} · recall macro \d\.\d{3}/)
    expect(r.out).toMatch(
      /supervised · 100 % labels · quick preset\n {2}F1 \(macro\) +\d\.\d{3} ± \d\.\d{3} \(95 % CI, n = 2; not meaningful below 3 seeds\)/,
    )
    expect(r.out).toMatch(/F1 \(weighted\) +\d\.\d{3} ± /)
    expect(r.out).toMatch(/recall \(macro\) +\d\.\d{3} ± /)
    expect(r.out).toMatch(/F1 melanoma: \d\.\d{3}/)
    const project = openProject(projectDir)
    try {
      const runs = listRuns(project).filter((x) => x.task === 'classification')
      // The trivial answer is printed from the stored test counts.
      const trivial = trivialAnswer(finalMetrics(project, runs[0].id))!
      expect(trivial.answer).toMatch(/^always answering “(nevus|melanoma|keratosis)”$/)
      expect(r.out).toContain(
        `  trivial answer    F1 (macro) ${trivial.f1Macro.toFixed(3)}, ${trivial.answer}`,
      )
      expect(runs.map((x) => [x.method, x.labelFraction, x.seed, x.status])).toEqual([
        ['supervised', 1, 0, 'succeeded'],
        ['supervised', 1, 1, 'succeeded'],
      ])
      expect((runs[0].config as { overrides: unknown }).overrides).toEqual({
        backbone: 'resnet_tiny',
        imageSize: 32,
        epochs: 2,
      })
    } finally {
      closeProject(project)
    }
  })
  it('trains CASS on the CNN + Transformer pair --backbone names', async () => {
    const r = await cli([
      'train',
      projectDir,
      '--task',
      'classification',
      '--method',
      'cass',
      '--backbone',
      'resnet_tiny+vit_tiny',
      '--fraction',
      '100',
      '--set',
      'cass.epochs=1',
      '--set',
      'epochs=1',
      '--backend',
      'cpu',
    ])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    // Each stage named in the progress lines, its terms in words.
    expect(r.out).toMatch(
      /seed 0 · CASS pretraining · epoch 1\/1 · step \d+\/\d+ · CASS loss \(2 − 2·cos\) [\d.]+/,
    )
    expect(r.out).toMatch(/seed 0 · Transformer fine-tuning · epoch 1\/1 · step \d+\/\d+ · fine-tuning loss/)
    expect(r.out).toMatch(/seed 0 · CNN fine-tuning · epoch 1\/1 · step \d+\/\d+ · fine-tuning loss/)
    const project = openProject(projectDir)
    try {
      const run = listRuns(project).find((x) => x.method === 'cass')!
      expect(run.status).toBe('succeeded')
      expect((run.config as { overrides: unknown }).overrides).toEqual({
        cnnBackbone: 'resnet_tiny',
        vitBackbone: 'vit_tiny',
        imageSize: 32,
        'cass.epochs': 1,
        epochs: 1,
      })
    } finally {
      closeProject(project)
    }
  })
  it('formats a single seed without an interval, and marks one from two seeds', () => {
    expect(
      formatInterval({ n: 1, mean: 0.5, std: NaN, halfWidth: NaN, lower: NaN, upper: NaN, level: 0.95 }),
    ).toBe('0.500 (1 seed, no interval)')
    const interval = { std: 0.1, halfWidth: 0.9, lower: -0.4, upper: 1.4, level: 0.95 }
    expect(formatInterval({ n: 2, mean: 0.5, ...interval })).toBe(
      '0.500 ± 0.900 (95 % CI, n = 2; not meaningful below 3 seeds)',
    )
    expect(formatInterval({ n: 3, mean: 0.5, ...interval })).toBe('0.500 ± 0.900 (95 % CI, n = 3)')
  })
  it("names each mask class in a multi-class project's summary, and says the headline is their mean", () => {
    const one = (mean: number) => ({
      n: 1,
      mean,
      std: NaN,
      halfWidth: NaN,
      lower: NaN,
      upper: NaN,
      level: 0.95,
    })
    const lines = segmentationSummary({
      runs: [],
      summary: {
        testIou: one(0.5),
        testDice: one(0.6),
        'testIou:tumour': one(0.4),
        'testDice:tumour': one(0.55),
        'testIou:stroma': one(0.6),
        'testDice:stroma': one(0.65),
        testMeanIouWithBackground: one(0.7),
      },
    })
    expect(lines[0]).toMatch(/per mask class\), mean over mask classes/)
    expect(lines).toContain('    tumour: IoU 0.400 (1 seed, no interval) · Dice 0.550 (1 seed, no interval)')
    expect(lines).toContain('    stroma: IoU 0.600 (1 seed, no interval) · Dice 0.650 (1 seed, no interval)')
    expect(lines.at(-1)).toMatch(/background and every mask class 0.700/)
    // A binary project's summary reads as before.
    const binary = segmentationSummary({ runs: [], summary: { testIou: one(0.5), testDice: one(0.6) } })
    expect(binary).toEqual([
      '  dataset-level (TP, FP, FN summed over the test set, as the paper reports):',
      '  IoU  0.500 (1 seed, no interval)',
      '  Dice 0.600 (1 seed, no interval)',
    ])
  })
})
