import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  STRATEGY_SCORE_NAMES,
  type LoopQueue,
  type LoopRun,
  type QueueStrategy,
} from '../../../shared/contract/labellingLoop'
import type { JobState } from '../../../shared/events'
import { client } from '../api/client'

const CHOICE_KEY = 's4mi.labellingLoop'

/** The run and strategy the labeller chose, kept while they go back and forth between grid and viewer. */
function savedChoice(): { runId: number | null; strategy: QueueStrategy } {
  try {
    const v = JSON.parse(sessionStorage.getItem(CHOICE_KEY) ?? 'null') as {
      runId: number | null
      strategy: QueueStrategy
    } | null
    if (v && (v.runId === null || Number.isInteger(v.runId))) return v
  } catch {
    // A damaged entry is a fresh start.
  }
  return { runId: null, strategy: 'entropy' }
}

/**
 * The grid's side of the labelling loop: the finished runs that can predict, the one chosen and its ranking
 * strategy, the queue (unlabelled images, most uncertain first), and the prediction job with its progress.
 */
export function useLabellingLoop(projectDir: string) {
  const [runs, setRuns] = useState<LoopRun[]>([])
  const [choice, setChoiceState] = useState(savedChoice)
  const [queue, setQueue] = useState<LoopQueue | null>(null)
  const [job, setJob] = useState<JobState | null>(null)
  const [error, setError] = useState<string | null>(null)
  const setChoice = useCallback((c: { runId: number | null; strategy: QueueStrategy }) => {
    sessionStorage.setItem(CHOICE_KEY, JSON.stringify(c))
    setChoiceState(c)
  }, [])

  const loadRuns = useCallback(() => client.call('loop.runs', {}).then(setRuns, () => undefined), [])
  const loadQueue = useCallback(() => {
    const { runId, strategy } = choice
    if (runId === null) return setQueue(null)
    client.call('loop.queue', { runId, strategy }).then(
      (q) => {
        setQueue(q)
        setError(null)
      },
      (e: Error) => setError(e.message),
    )
  }, [choice])

  useEffect(() => {
    void loadRuns()
    return client.onEvent((e) => {
      if (e.type === 'project' && (e.change === 'runs' || e.change === 'opened')) void loadRuns()
      // A run that finishes training can predict from then on.
      if (e.type === 'job' && e.job.kind === 'train' && e.job.status === 'succeeded') void loadRuns()
    })
  }, [loadRuns, projectDir])
  useEffect(() => {
    loadQueue()
    return client.onEvent((e) => {
      if (e.type === 'project' && (e.change === 'runs' || e.change === 'mask' || e.change === 'images'))
        loadQueue()
    })
  }, [loadQueue])
  // A run that is gone (deleted) is no longer the choice.
  useEffect(() => {
    if (choice.runId !== null && runs.length && !runs.some((r) => r.runId === choice.runId))
      setChoice({ ...choice, runId: null })
  }, [runs, choice, setChoice])

  useEffect(() => {
    if (!job) return
    return client.onEvent((e) => {
      if (e.type !== 'job' || e.job.id !== job.id) return
      setJob(e.job)
      if (e.job.status === 'failed') setError(e.job.error)
      if (e.job.status !== 'running' && e.job.status !== 'queued') loadQueue()
    })
  }, [job, loadQueue])

  const predict = useCallback(() => {
    const run = runs.find((r) => r.runId === choice.runId)
    if (!run) return
    setError(null)
    const strategies = choice.strategy === 'random' ? undefined : [choice.strategy]
    client
      .call('loop.predict', {
        runId: run.runId,
        images: 'unlabelled',
        // The default set (entropy, and disagreement for cross teaching) plus the one ranked by.
        ...(strategies && {
          strategies: [...new Set([...run.strategies.filter((s) => s !== 'mc-dropout'), ...strategies])],
        }),
      })
      .then(
        ({ jobId }) =>
          setJob({
            id: jobId,
            status: 'queued',
            progress: { fraction: null, message: 'Waiting' },
          } as JobState),
        (e: Error) => setError(e.message),
      )
  }, [runs, choice])
  const [retrained, setRetrained] = useState<number | null>(null)
  const retrain = useCallback(() => {
    if (choice.runId === null) return
    setError(null)
    client.call('loop.retrain', { runId: choice.runId }).then(
      ({ runId }) => setRetrained(runId),
      (e: Error) => setError(e.message),
    )
  }, [choice.runId])
  const cancel = useCallback(() => {
    if (job) void client.call('jobs.cancel', { jobId: job.id })
  }, [job])

  /** Queue position, score and (classification runs) predicted labels by image id. */
  const ranked = useMemo(
    () =>
      new Map(
        (queue?.images ?? []).map((q, i) => [
          q.imageId,
          {
            place: i,
            score: q.score,
            scoreName:
              queue?.strategy && queue.strategy !== 'random' ? STRATEGY_SCORE_NAMES[queue.strategy] : null,
            predicted: q.predicted ?? null,
          },
        ]),
      ),
    [queue],
  )
  const run = runs.find((r) => r.runId === choice.runId) ?? null
  return { runs, run, choice, setChoice, queue, ranked, job, predict, cancel, retrain, retrained, error }
}

export type LabellingLoop = ReturnType<typeof useLabellingLoop>
