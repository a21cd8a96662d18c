// Peak memory of each segmentation method at paper scale, for bench:train (--memory-only for this part
// alone, --no-memory to skip it). Each method trains in a process of its own (memoryRun.ts) with the paper
// preset's networks, input side and batch, on a generated project, and is stopped after its first training
// step: memory is bounded by the batch, not the dataset (npm run test:memory checks that on 2,000 images),
// so the first step shows the peak. The peak is the process's maximum RSS (tfjs's wasm heap included).
// PiCIE clusters and labels its whole pool before its first step: its pool here is one batch, and the one
// part of its memory that grows with the pool, k-means' initial points, is measured on its own at the
// paper's 20 batches (kmeansPoolMemory.ts).
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { formatBytes, wasmHeapLimitBytes } from '../src/core/engine/memoryEstimate'
import { closeProject } from '../src/core/store/project'
import { createGeneratedProject } from '../src/core/methods/segmentation/fixtures/generatedProject'
import { picieDefaults } from '../src/core/methods/segmentation/picieDefaults'
import { supervisedDefaults } from '../src/core/methods/segmentation/supervised'
import { crossTeachingDefaults } from '../src/core/methods/segmentation/crossTeaching'

interface MemoryCase {
  method: 'supervised' | 'cross-teaching' | 'picie'
  size: number
  batch: number
  /** Forward passes before the run is stopped (each finishes its step first). */
  forwards?: number
  /** Training steps before the run is stopped. */
  steps?: number
  /** Training images of the generated project (default: 4 batches' worth of labelled among 8). */
  trainImages?: number
}

/** Each method at its paper preset's side and batch. */
function paperCases(): MemoryCase[] {
  const s = supervisedDefaults('paper')
  const c = crossTeachingDefaults('paper')
  const p = picieDefaults('paper')
  return [
    // The memory plan's one-image probe, then the first training step (every micro-batch of it).
    { method: 'supervised', size: Number(s.imageSize), batch: Number(s.batchSize), forwards: 2 },
    // The plan's probe through the U-Net and the Swin-UNet, then the first iteration (every micro-batch).
    {
      method: 'cross-teaching',
      size: Number(c.imageSize),
      batch: Number(c.labelledPerBatch) + Number(c.unlabelledPerBatch),
      forwards: 3,
    },
    // The plan's probe (two views), the shape probe, k-means and labels of both views over a pool of one
    // batch (no gradients, featurised in the plan's parts), then the first training step (every micro-batch).
    {
      method: 'picie',
      size: Number(p.imageSize),
      batch: Number(p.batchSize),
      steps: 1,
      trainImages: Number(p.batchSize),
    },
  ]
}

/** The generated project's image count whose 70 % training share (i mod 10 < 7) is `train` images. */
function countForTraining(train: number): number {
  let count = 0
  for (let kept = 0; kept < train; count++) if (count % 10 < 7) kept++
  return count
}

/**
 * PiCIE's initial k-means pool at the paper preset's size (kmeansPoolMemory.ts), in a process of its own:
 * bounded by kmeansPointsPerCluster. Every point, as PiCIE keeps them, is not run: it needs twice the
 * features' size (the pool and its pooled copy), printed instead.
 */
function kmeansPoolRow(): string[] {
  const p = picieDefaults('paper')
  const label = ['picie k-means pool', `${p.imageSize} px`, `${p.clusterBatchSize} × ${p.initBatches}`]
  try {
    const stdout = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'kmeansPoolMemory.ts'), String(p.kmeansPointsPerCluster)],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    )
    const r = JSON.parse(stdout.trim().split('\n').pop()!)
    const sampled = Number(p.k) * Number(p.kmeansPointsPerCluster)
    return [
      ...label,
      `${(r.maxRssMiB / 1024).toFixed(2)} GiB`,
      '-',
      r.held <= sampled ? 'met' : 'not met',
      `${r.seconds} s`,
      `holds ${r.held} of ${r.points} points (kmeansPointsPerCluster ${p.kmeansPointsPerCluster}); every point, as PiCIE: ${formatBytes(2 * r.featureMiB * 2 ** 20)} (pool + pooled copy)`,
    ]
  } catch (e) {
    return [...label, '-', '-', 'not met', '-', `failed: ${String((e as Error).message).slice(0, 120)}`]
  }
}

/** `methods`: the methods to measure (default all three). */
export async function segmentationMemoryReport(methods?: string[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-memory-'))
  const lines: string[] = []
  const cases = paperCases().filter((c) => !methods || methods.includes(c.method))
  const projectKey = (c: MemoryCase) => `${c.size}-${c.trainImages ?? 'batches'}`
  try {
    const projects = new Map<string, { dir: string; splitId: number; labelFractionId: number }>()
    for (const c of cases) {
      if (!projects.has(projectKey(c))) {
        const at = path.join(dir, `p${projectKey(c)}`)
        // Enough images for a few paper-sized batches of every split; memory does not grow with more.
        const g = await createGeneratedProject(at, {
          count: c.trainImages ? countForTraining(c.trainImages) : 8 * c.batch,
          size: c.size,
          labelled: c.trainImages ?? 4 * c.batch,
        })
        projects.set(projectKey(c), { dir: at, splitId: g.splitId, labelFractionId: g.labelFractionId })
        closeProject(g.project)
      }
    }
    const rows: string[][] = []
    for (const c of cases) {
      const p = projects.get(projectKey(c))!
      process.stderr.write(`memory: ${c.method} at ${c.size} px, batch ${c.batch}...\n`)
      const script = path.join(__dirname, '../src/core/methods/segmentation/fixtures/memoryRun.ts')
      let cell: string[]
      try {
        const stdout = execFileSync(
          process.execPath,
          ['--import', 'tsx', script, p.dir, c.method, String(p.splitId), String(p.labelFractionId)].concat([
            String(c.size),
            String(c.batch),
          ]),
          {
            encoding: 'utf8',
            maxBuffer: 1 << 24,
            env: {
              ...process.env,
              S4MI_MEMORY_NETS: 'paper',
              S4MI_MEMORY_FORWARDS: String(c.forwards ?? 0),
              S4MI_MEMORY_STEPS: String(c.steps ?? 0),
            },
          },
        )
        const r = JSON.parse(stdout.trim().split('\n').pop()!)
        const heap = r.wasmHeapMiB * 2 ** 20
        cell = [
          `${(r.maxRssMiB / 1024).toFixed(2)} GiB`,
          `${formatBytes(heap)} of ${formatBytes(wasmHeapLimitBytes)}`,
          heap > 0 && heap <= wasmHeapLimitBytes ? 'met' : 'not met',
          `${r.seconds} s`,
          `${r.cancelled ? (c.steps ? `stopped after ${r.steps} training step(s) on ${r.counts.train} images` : `stopped after ${c.forwards} forward passes`) : 'ran to the end'}; ${String(
            r.plan ?? 'no plan logged',
          ).replace(/^Training step: /, '')}`,
        ]
      } catch (e) {
        cell = [
          '-',
          '-',
          'not met',
          '-',
          `failed: ${String((e as Error).message)
            .split('\n')
            .slice(-2)
            .join(' ')
            .slice(0, 120)}`,
        ]
      }
      rows.push([c.method, `${c.size} px`, String(c.batch), ...cell])
    }
    if (!methods || methods.includes('picie')) rows.push(kmeansPoolRow())
    const header = ['method', 'input', 'batch', 'peak RSS', 'wasm heap (its peak)', 'fits', 'time', 'note']
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
    const fmt = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i])).join('  ')
    lines.push(
      '',
      'peak memory of each segmentation method at paper scale (paper preset nets, wasm; goal: the step fits',
      "the wasm backend's 4 GiB heap, each method cutting its batch into the micro-batches its plan asks for):",
    )
    lines.push(fmt(header), ...rows.map(fmt))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return lines
}
