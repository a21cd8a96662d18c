import type {
  ExperimentCell,
  ExperimentProgress,
  ExperimentSpec,
  ExperimentStatistics,
  ExperimentSummary,
  ExperimentTask,
} from '../../shared/experiments'
import type { JobState } from '../../shared/events'
import { labelledSet } from '../data/labelledSet'
import { cellComparisons, cellKey, cellStatistics, type ScoredRun } from '../eval/experimentStatistics'
import { backboneOverrides, BACKBONES, type ClassifierBackbone } from '../../shared/classifierBackbones'
import { ensureSplit } from '../data/splitProject'
import { catalogueEntries, findEntry, findMethod } from '../methods/catalogue'
import { runHyper, type Hyper } from '../methods/method'
import { MAX_SEEDS, validateTrainRequest, type TrainRequest } from '../methods/validateTrainRequest'
import {
  createExperiment,
  experimentRunIds,
  getExperiment,
  linkExperimentRuns,
  listExperiments,
  setExperimentStatus,
} from '../store/experiments'
import type { Project } from '../store/project'
import { getRun, runMetrics, runsWithIdentity, updateRun, type RunRow } from '../store/runs'
import { runIdentity } from './runIdentity'
import { createSeedRun, plannedBackend, seedsFor, submitRun, type TrainingHost } from './trainingJobs'
import type { WorkerLauncher } from './workerLauncher'

/**
 * An experiment: the paper's matrix (tasks × methods × backbones × label fractions × seeds, one preset) over
 * one project and its split, as one stored object. Its runs are ordinary runs queued through the training
 * jobs, so they survive a restart the way every run does (resumeInterruptedRuns). A planned run whose
 * identity already succeeded — same method, settings, seed, backend and dataset version — is linked, not
 * trained again.
 */

/** One run the matrix needs. */
export interface PlannedRun {
  cell: ExperimentCell
  seed: number
  request: TrainRequest
  identity: string
}

/** Checks a spec and says which field is wrong; returns it with duplicates removed and fractions sorted. */
export function checkExperimentSpec(spec: ExperimentSpec): ExperimentSpec {
  if (!spec.name.trim()) throw new Error('name: give the experiment a name')
  if (!spec.tasks.length) throw new Error('tasks: choose at least one task')
  if (!spec.methods.length) throw new Error('methods: choose at least one method')
  if (!spec.labelFractions.length) throw new Error('labelFractions: choose at least one label fraction')
  for (const f of spec.labelFractions) {
    if (!(Number.isFinite(f) && f > 0 && f <= 1))
      throw new Error(`labelFractions: a label fraction is above 0 and at most 1 (0.3 for 30 %), got ${f}`)
  }
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1 || spec.seeds > MAX_SEEDS)
    throw new Error(`seeds: a whole number from 1 to ${MAX_SEEDS}, got ${spec.seeds}`)
  for (const m of spec.methods) {
    if (!spec.tasks.some((t) => catalogueEntries(t).some((e) => e.id === m)))
      throw new Error(`methods: no method "${m}" for ${spec.tasks.join(' or ')}`)
  }
  for (const b of spec.backbones) backboneOverrides(b)
  const unknownOverride = Object.keys(spec.overrides).find(
    (k) =>
      !spec.tasks.some((t) =>
        spec.methods.some((m) => {
          const entry = catalogueEntries(t).find((e) => e.id === m)
          return entry?.runner && k in entry.runner.method.defaults(spec.preset)
        }),
      ),
  )
  if (unknownOverride)
    throw new Error(`overrides: no chosen method has a hyperparameter '${unknownOverride}'`)
  return {
    ...spec,
    name: spec.name.trim(),
    tasks: [...new Set(spec.tasks)],
    methods: [...new Set(spec.methods)],
    backbones: [...new Set(spec.backbones)],
    labelFractions: [...new Set(spec.labelFractions)].sort((a, b) => a - b),
  }
}

/** The overrides of the spec a method knows (epochs for all; a backbone only for classifiers), plus its backbone. */
function methodOverrides(defaults: Hyper, spec: ExperimentSpec, backbone: string | null): Hyper {
  const own = Object.fromEntries(Object.entries(spec.overrides).filter(([k]) => k in defaults))
  return { ...own, ...(backbone !== null && spec.backbones.length ? backboneOverrides(backbone) : {}) }
}

/**
 * Every run of the matrix, each with its identity: unsupervised methods once at fraction 0, classifiers once
 * per backbone (their preset's default when none is chosen), everything once per seed 0..seeds-1.
 */
export function planExperiment(
  project: Project,
  input: ExperimentSpec,
  backend: string | null,
): PlannedRun[] {
  const spec = checkExperimentSpec(input)
  const planned: PlannedRun[] = []
  for (const task of spec.tasks) {
    for (const method of spec.methods) {
      const entry = catalogueEntries(task).find((e) => e.id === method)
      if (!entry) continue
      const defaults = findMethod(task, method).method.defaults(spec.preset)
      const backbones: (string | null)[] =
        'backbone' in defaults
          ? spec.backbones.length
            ? spec.backbones
            : [String(defaults.backbone)]
          : [null]
      const fractions = entry.usesLabels ? spec.labelFractions : [0]
      for (const backbone of backbones) {
        const overrides = methodOverrides(defaults, spec, backbone)
        for (const labelFraction of fractions) {
          const { request, hyper } = validateTrainRequest({
            task,
            method,
            labelFraction,
            seeds: 1,
            preset: spec.preset,
            overrides,
          })
          for (const seed of seedsFor(spec.seeds)) {
            const set = labelledSet(project, task, labelFraction, seed)
            planned.push({
              cell: { task, method, backbone, labelFraction },
              seed,
              request,
              identity: runIdentity({
                task,
                method,
                preset: spec.preset,
                hyper,
                labelFraction,
                seed,
                backend,
                datasetVersion: set.datasetVersion,
              }),
            })
          }
        }
      }
    }
  }
  return planned
}

export interface StartedExperiment {
  experimentId: number
  /** Runs queued: new ones, and ones an ended session left queued. */
  queued: number
  /** Planned runs already done (or queued in this session) with the same identity: linked, not trained again. */
  reused: number
  jobs: JobState[]
}

/** Stores the experiment with all its runs, then queues the runs it had to create. */
export function startExperiment(
  host: TrainingHost,
  spec: ExperimentSpec,
  launch: WorkerLauncher,
): StartedExperiment {
  const project = host.requireProject()
  const backend = plannedBackend(host)
  const checked = checkExperimentSpec(spec)
  const splitId = ensureSplit(project)
  const planned = planExperiment(project, checked, backend)
  const created: number[] = []
  const orphaned: number[] = []
  let reused = 0
  const live = new Set(
    host.jobs.list().flatMap((j) => (j.status === 'queued' || j.status === 'running' ? j.runIds : [])),
  )
  const { id } = createExperiment(project, { name: checked.name, splitId, spec: checked }, () =>
    planned.map((p) => {
      const earlier = runsWithIdentity(project, p.identity).find((r) =>
        ['succeeded', 'queued', 'running'].includes(r.status),
      )
      if (earlier) {
        // A run queued by a session that has ended (the CLI interrupted, the app closed) runs here.
        if (earlier.status !== 'succeeded' && !live.has(earlier.id)) orphaned.push(earlier.id)
        else reused++
        return earlier.id
      }
      const runId = createSeedRun(project, p.request, p.seed, backend)
      if (getRun(project, runId).identity !== p.identity)
        throw new Error(
          `Run ${runId} does not have the identity its experiment planned (a labelled set changed?)`,
        )
      created.push(runId)
      return runId
    }),
  )
  for (const runId of orphaned) updateRun(project, runId, { status: 'queued' })
  const jobs = [...orphaned, ...created].map((runId) => submitRun(host, project, runId, launch))
  return { experimentId: id, queued: jobs.length, reused, jobs }
}

/** Queues again the runs of an experiment that failed or were cancelled (a new run each, same identity). */
export function resumeExperiment(
  host: TrainingHost,
  experimentId: number,
  launch: WorkerLauncher,
): JobState[] {
  const project = host.requireProject()
  const byUnit = unitsOf(project, experimentId)
  const retry: number[] = []
  for (const runs of byUnit.values()) {
    const best = bestOf(runs)
    if (best.status === 'failed' || best.status === 'cancelled') {
      const config = best.config as { overrides: TrainRequest['overrides']; preset: TrainRequest['preset'] }
      const runId = createSeedRun(
        project,
        {
          task: best.task as ExperimentTask,
          method: best.method,
          labelFraction: best.labelFraction ?? 0,
          seeds: 1,
          preset: config.preset,
          overrides: config.overrides,
        },
        best.seed,
        plannedBackend(host),
      )
      retry.push(runId)
    }
  }
  linkExperimentRuns(project, experimentId, retry)
  setExperimentStatus(project, experimentId, 'active')
  return retry.map((runId) => submitRun(host, project, runId, launch))
}

/** Stops an experiment: cancels its queued and running jobs; finished runs stay. */
export function cancelExperiment(host: TrainingHost, experimentId: number): void {
  const project = host.requireProject()
  const runIds = new Set(experimentRunIds(project, experimentId))
  setExperimentStatus(project, experimentId, 'cancelled')
  for (const job of host.jobs.list()) {
    if ((job.status === 'queued' || job.status === 'running') && job.runIds.some((r) => runIds.has(r)))
      host.jobs.cancel(job.id)
  }
  // Runs not in this session's queue (never resumed after a restart) must not be resumed later either.
  for (const id of runIds) {
    const run = getRun(project, id)
    if (run.status === 'queued') updateRun(project, id, { status: 'cancelled' })
  }
}

/** The cell a stored run belongs to: its task, method, label fraction and (for classifiers) backbone. */
export function cellOf(run: RunRow): ExperimentCell {
  const config = run.config as { preset: 'quick' | 'paper'; overrides: Hyper }
  const hyper = runHyper(findMethod(run.task, run.method).method, config.preset, config.overrides)
  return {
    task: run.task as ExperimentTask,
    method: run.method,
    backbone: 'backbone' in hyper ? String(hyper.backbone) : null,
    labelFraction: run.labelFraction ?? 0,
  }
}

/** The experiment's runs grouped by planned unit (cell and seed): a retried unit holds several. */
function unitsOf(project: Project, experimentId: number): Map<string, RunRow[]> {
  const units = new Map<string, RunRow[]>()
  for (const id of experimentRunIds(project, experimentId)) {
    const run = getRun(project, id)
    const key = `${cellKey(cellOf(run))}|${run.seed}`
    units.set(key, [...(units.get(key) ?? []), run])
  }
  return units
}

const STATUS_RANK = { succeeded: 0, running: 1, queued: 2, failed: 3, cancelled: 4 } as const

/** The run that speaks for a unit: a success if there is one, else the live one, else the latest. */
function bestOf(runs: RunRow[]): RunRow {
  return [...runs].sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.id - a.id)[0]
}

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null
  const s = (Date.parse(to) - Date.parse(from)) / 1000
  return Number.isFinite(s) && s >= 0 ? s : null
}

/**
 * Progress of an experiment and its ETA: each queued or running run is expected to take as long as this
 * experiment's finished runs of the same method took on average (all its finished runs when that method has
 * none yet), less the time a running one has already had; `parallel` runs at once (by default as many as
 * are training now: the job queue runs them side by side while cores and memory allow).
 */
export function experimentProgress(
  project: Project,
  experimentId: number,
  parallel?: number,
  now = Date.now(),
): { progress: ExperimentProgress; runs: ExperimentSummary['runs'] } {
  const experiment = getExperiment(project, experimentId)
  const created = Date.parse(experiment.createdAt)
  const counts = { succeeded: 0, reused: 0, running: 0, queued: 0, failed: 0, cancelled: 0 }
  const durations = new Map<string, number[]>()
  const runs: ExperimentSummary['runs'] = []
  const pending: RunRow[] = []
  for (const unit of unitsOf(project, experimentId).values()) {
    const run = bestOf(unit)
    counts[run.status]++
    const reused = run.status === 'succeeded' && Date.parse(run.createdAt) < created
    if (reused) counts.reused++
    const took = seconds(run.startedAt, run.finishedAt)
    if (run.status === 'succeeded' && !reused && took !== null)
      durations.set(run.method, [...(durations.get(run.method) ?? []), took])
    if (run.status === 'queued' || run.status === 'running') pending.push(run)
    runs.push({ runId: run.id, cell: cellOf(run), seed: run.seed, status: run.status })
  }
  const side = parallel ?? Math.max(1, counts.running)
  const all = [...durations.values()].flat()
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
  let etaSeconds: number | null = null
  if (all.length) {
    let work = 0
    for (const run of pending) {
      const expected = mean(durations.get(run.method) ?? all)
      const elapsed = run.status === 'running' && run.startedAt ? (now - Date.parse(run.startedAt)) / 1000 : 0
      work += Math.max(0, expected - elapsed)
    }
    etaSeconds = work / Math.max(1, side)
  } else if (!pending.length) etaSeconds = 0
  runs.sort((a, b) => a.runId - b.runId)
  return { progress: { total: runs.length, ...counts, etaSeconds, parallel: side }, runs }
}

export function experimentSummary(
  project: Project,
  experimentId: number,
  parallel?: number,
): ExperimentSummary {
  const e = getExperiment(project, experimentId)
  const { progress, runs } = experimentProgress(project, experimentId, parallel)
  return { ...e, progress, runs }
}

export function experimentSummaries(project: Project, parallel?: number): ExperimentSummary[] {
  return listExperiments(project).map((e) => experimentSummary(project, e.id, parallel))
}

/** The paper's headline score per task: dataset-level test IoU; macro F1 for classification. */
export function headlineMetric(task: ExperimentTask): string {
  return task === 'segmentation' ? 'testIou' : 'testF1Macro'
}

/** A row's name in the field's words: "Cross teaching", "DINO · Small ViT (quick)". */
export function rowName(c: ExperimentCell): string {
  const method = findEntry(c.task, c.method).name
  if (c.backbone === null) return method
  return `${method} · ${BACKBONES[c.backbone as ClassifierBackbone]?.label ?? c.backbone}`
}

/** Per-cell statistics and comparisons of an experiment's finished runs for one final metric. */
export function experimentStatistics(
  project: Project,
  experimentId: number,
  metric: string,
  level = 0.95,
): ExperimentStatistics {
  getExperiment(project, experimentId)
  const scored: ScoredRun[] = []
  for (const runId of experimentRunIds(project, experimentId)) {
    const run = getRun(project, runId)
    if (run.status !== 'succeeded') continue
    const value = runMetrics(project, runId).find((m) => m.subset === 'final' && m.name === metric)?.value
    if (value === undefined) continue
    scored.push({
      runId,
      cell: cellOf(run),
      seed: run.seed,
      identity: run.identity,
      datasetVersion: run.datasetVersion,
      backend: run.backend,
      value,
    })
  }
  const cells = cellStatistics(metric, scored, level)
  return { experimentId, metric, cells, comparisons: cellComparisons(cells, rowName, level) }
}
