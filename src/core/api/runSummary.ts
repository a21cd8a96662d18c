import type { GlassTilesSkipped, RunSummary } from '../../shared/training'
import type { RunConfig } from '../methods/catalogueEntry'
import { describeRun, type RunDescription } from '../methods/runDescription'
import type { Project } from '../store/project'
import { finalMetrics } from '../eval/resultsTable'
import type { RunRow } from '../store/runs'

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0

/** Glass tiles per subset as the run stored them; null for runs that stored none (or one total, before). */
function recordedGlass(v: unknown): GlassTilesSkipped | null {
  const g = v as Partial<Record<string, { tiles?: unknown; slides?: unknown }>> | null
  if (typeof g !== 'object' || g === null) return null
  const ok = (['train', 'val', 'test'] as const).every((s) => isCount(g[s]?.tiles) && isCount(g[s]?.slides))
  return ok ? (g as GlassTilesSkipped) : null
}

function recorded(run: RunRow): { hyper?: unknown; notes: string[]; glass: GlassTilesSkipped | null } {
  const progress = (run.progress ?? {}) as { hyper?: unknown; notes?: unknown; glassTilesSkipped?: unknown }
  const notes = Array.isArray(progress.notes)
    ? progress.notes.filter((n): n is string => typeof n === 'string')
    : []
  return { hyper: progress.hyper, notes, glass: recordedGlass(progress.glassTilesSkipped) }
}

/** Slide tiles a run left out as mostly glass, per subset of its split. */
export function runGlassTilesSkipped(run: RunRow): GlassTilesSkipped | null {
  return recorded(run).glass
}

export function runDescription(run: RunRow): RunDescription {
  return describeRun(run.config as RunConfig, recorded(run).hyper)
}

/** A stored run as the results pane, the run page and the exports list it. */
export function runSummary(project: Project, run: RunRow): RunSummary {
  const { preset, backbone } = runDescription(run)
  return {
    id: run.id,
    task: run.task,
    method: run.method,
    backbone,
    preset,
    labelFraction: run.labelFraction,
    seed: run.seed,
    status: run.status,
    backend: run.backend,
    datasetVersion: run.datasetVersion,
    error: run.error,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    hidden: run.hidden,
    final: finalMetrics(project, run.id),
    notes: recorded(run).notes,
  }
}
