// npm run bench:active — does labelling what the model is unsure about pay? On the demo data (or the harder
// multi-label variant), each seed starts from the same few labelled training images and one supervised run;
// then for three rounds k more images join the labelled set, chosen by the run's predictive entropy (the
// latest run of that arm ranks) or at random (the control), and the same configuration trains again with the
// same seed. Prints both learning curves (test IoU by labelled images, mean over seeds) and whether uncertainty
// beat random on average over the rounds. Not a test: it trains 1 + 2 × rounds runs per seed.
// Flags: --images N (demo size, 40)  --start N (labelled at first, 4)  --k N (per round, 4)  --rounds N (3)
//        --seeds N (3)  --epochs N (quick preset's epochs, 20)  --variant multi-class|multi-label
//        --strategy entropy (what the uncertainty arm ranks by)  --json file
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeBackend, selectBackend } from '../src/core/engine/backend/selectBackend'
import { chooseLabelledImages, trainingImages } from '../src/core/data/labelledSet'
import { ensureSplit } from '../src/core/data/splitProject'
import { createDemoProject } from '../src/core/demo/createDemoProject'
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { validateTrainRequest } from '../src/core/methods/validateTrainRequest'
import { closeProject } from '../src/core/store/project'
import { activeLearningRound } from '../src/core/train/activeLearningRound'
import { executeRun } from '../src/core/train/executeRun'
import type { NextStrategy } from '../src/core/train/nextToLabel'
import { createSeedRun } from '../src/core/train/trainingJobs'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const images = Number(arg('images', '40'))
const start = Number(arg('start', '4'))
const k = Number(arg('k', '4'))
const rounds = Number(arg('rounds', '3'))
const seeds = Number(arg('seeds', '3'))
const epochs = Number(arg('epochs', '20'))
const variant = arg('variant', 'multi-class') as 'multi-class' | 'multi-label'
const strategy = arg('strategy', 'entropy') as NextStrategy
const METRIC = 'testIou'

type Curve = { labelled: number; iou: number }[]

async function oneSeed(seed: number, backend: Awaited<ReturnType<typeof selectBackend>>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-active-'))
  const { project } = await createDemoProject(path.join(dir, 'p'), { count: images, seed: 1, variant })
  try {
    const train = trainingImages(project, ensureSplit(project)).map((i) => i.id)
    // The same starting set for both arms of this seed.
    const order = createSeededRandom(1000 + seed).shuffle(train)
    const first = order.slice(0, start)
    chooseLabelledImages(project, 'segmentation', first)
    const { request } = validateTrainRequest({
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 'active',
      seeds: 1,
      preset: 'quick',
      overrides: { epochs },
    })
    const report = { name: backend.name, device: backend.device, warning: backend.warning ?? null }
    const runId = createSeedRun(project, request, seed, `${backend.name} (${backend.device})`)
    const base = await executeRun(project.dir, runId, {
      post: () => {},
      signal: new AbortController().signal,
      backend: report,
    })
    const curves: Record<string, Curve> = {}
    for (const arm of [strategy, 'random'] as NextStrategy[]) {
      const curve: Curve = [{ labelled: first.length, iou: base[METRIC] }]
      let labelled = first
      let current = runId
      for (let r = 1; r <= rounds; r++) {
        const pool = train.filter((id) => !labelled.includes(id))
        const t0 = Date.now()
        const round = await activeLearningRound(project, {
          runId: current,
          strategy: arm,
          k,
          labelled,
          pool,
          seed: seed * 100 + r,
          backend: report,
        })
        labelled = round.labelled
        current = round.runId
        curve.push({ labelled: labelled.length, iou: round.metrics[METRIC] })
        console.log(
          `  seed ${seed} · ${arm.padEnd(7)} · round ${r}: ${labelled.length} labelled, test IoU ${round.metrics[METRIC].toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        )
      }
      curves[arm] = curve
    }
    return curves
  } finally {
    closeProject(project)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const backend = await selectBackend({})
  console.log(`bench:active · ${describeBackend(backend)} · load ${os.loadavg()[0].toFixed(1)}`)
  console.log(
    `demo ${variant}, ${images} images · supervised U-Net (quick, ${epochs} epochs) · start ${start} labelled, +${k} per round, ${rounds} rounds, ${seeds} seeds · ${strategy} vs random`,
  )
  const all: Record<string, Curve>[] = []
  for (let seed = 0; seed < seeds; seed++) all.push(await oneSeed(seed, backend))
  const mean = (arm: string, r: number) => all.reduce((s, c) => s + c[arm][r].iou, 0) / all.length
  console.log(`\nTest IoU (mean over ${seeds} seeds) by labelled training images:`)
  console.log(`  labelled  ${strategy.padEnd(12)} random`)
  for (let r = 0; r <= rounds; r++)
    console.log(
      `  ${String(all[0][strategy][r].labelled).padStart(8)}  ${mean(strategy, r).toFixed(4).padEnd(12)} ${mean('random', r).toFixed(4)}`,
    )
  const gains = Array.from({ length: rounds }, (_, i) => mean(strategy, i + 1) - mean('random', i + 1))
  const average = gains.reduce((s, g) => s + g, 0) / rounds
  const wins = all
    .flatMap((c) => c[strategy].slice(1).map((p, i) => p.iou > c.random[i + 1].iou))
    .filter(Boolean).length
  console.log(
    `\n${strategy} − random, mean over rounds 1–${rounds}: ${average >= 0 ? '+' : ''}${average.toFixed(4)} IoU; ` +
      `${strategy} higher in ${wins} of ${seeds * rounds} (seed, round) pairs`,
  )
  console.log(`Goal (uncertainty beats random on average): ${average > 0 ? 'met' : 'NOT met'}`)
  const json = arg('json', '')
  if (json)
    fs.writeFileSync(
      json,
      JSON.stringify({ images, start, k, rounds, seeds, epochs, variant, strategy, curves: all }, null, 2),
    )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
