// Peak memory of each segmentation method at paper scale, for bench:train (--memory-only for this part
// alone, --no-memory to skip it). Each method trains in a process of its own (memoryRun.ts) with the paper
// preset's networks, input side and batch, on a generated project, and is stopped after a few batch reads:
// memory is bounded by the batch, not the dataset (npm run test:memory checks that on 2,000 images), so a
// few steps show the peak. The peak is the process's maximum RSS (tfjs's wasm heap included).
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
  forwards: number
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
    // The plan's probe (two views), the shape probe, then the first k-means cluster batch (no gradients,
    // featurised in the plan's parts). Its training step comes only after k-means and labels over the whole
    // pool: not measured.
    { method: 'picie', size: Number(p.imageSize), batch: Number(p.clusterBatchSize), forwards: 4 },
  ]
}

export async function segmentationMemoryReport(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-memory-'))
  const lines: string[] = []
  try {
    const projects = new Map<number, { dir: string; splitId: number; labelFractionId: number }>()
    for (const c of paperCases()) {
      if (!projects.has(c.size)) {
        const at = path.join(dir, `p${c.size}`)
        // Enough images for a few paper-sized batches of every split; memory does not grow with more.
        const g = await createGeneratedProject(at, {
          count: 8 * c.batch,
          size: c.size,
          labelled: 4 * c.batch,
        })
        projects.set(c.size, { dir: at, splitId: g.splitId, labelFractionId: g.labelFractionId })
        closeProject(g.project)
      }
    }
    const rows: string[][] = []
    for (const c of paperCases()) {
      const p = projects.get(c.size)!
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
            env: { ...process.env, S4MI_MEMORY_NETS: 'paper', S4MI_MEMORY_FORWARDS: String(c.forwards) },
          },
        )
        const r = JSON.parse(stdout.trim().split('\n').pop()!)
        const heap = r.wasmHeapMiB * 2 ** 20
        cell = [
          `${(r.maxRssMiB / 1024).toFixed(2)} GiB`,
          `${formatBytes(heap)} of ${formatBytes(wasmHeapLimitBytes)}`,
          heap > 0 && heap <= wasmHeapLimitBytes ? 'met' : 'not met',
          `${r.seconds} s`,
          `${r.cancelled ? `stopped after ${c.forwards} forward passes` : 'ran to the end'}; ${String(
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
