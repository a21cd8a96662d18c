import { useCallback, useEffect, useState } from 'react'
import type { RunDetail } from '../../../shared/training'
import type { MaskClassDef } from '../../../shared/types'
import { client } from '../api/client'
import { download } from '../charts/chartExport'
import { methodName, useMethods } from '../train/useMethods'
import { Modal } from '../ui/Modal'
import { ClassificationRunDetail } from './ClassificationRunDetail'
import { fractionLabel } from './groupResults'
import { RunConfiguration } from './RunConfiguration'
import { RunFinalScores } from './RunFinalScores'
import { RunImageScores } from './RunImageScores'
import { RunMetricsChart } from './RunMetricsChart'
import { SegmentationRunDetail } from './SegmentationRunDetail'
import './results.css'

/**
 * One run, all of it: what it was (configuration), how it trained (curves, log), how it scored (final
 * scores, each test image worst first with its prediction a click away); hide or delete it.
 */
export function RunPage({
  runId,
  maskClasses,
  onBack,
  onOpenImage,
}: {
  runId: number
  maskClasses: MaskClassDef[]
  onBack(): void
  onOpenImage(imageId: number): void
}) {
  const methods = useMethods()
  const [run, setRun] = useState<RunDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const load = useCallback(
    () => client.call('runs.get', { runId }).then(setRun, (e: Error) => setError(e.message)),
    [runId],
  )
  useEffect(() => {
    void load()
    return client.onEvent((e) => {
      if (e.type === 'job' && e.job.runIds.includes(runId) && e.job.status !== 'running') void load()
    })
  }, [load, runId])

  const setHidden = (hidden: boolean) =>
    client.call('runs.setHidden', { runId, hidden }).then(
      () => load(),
      (e: Error) => setError(e.message),
    )
  const remove = () =>
    client.call('runs.delete', { runId }).then(onBack, (e: Error) => {
      setConfirmDelete(false)
      setError(e.message)
    })

  const exportModel = () =>
    client.call('runs.exportModel', { runId }).then(
      (m) => {
        const bytes = Uint8Array.from(atob(m.safetensorsBase64), (c) => c.charCodeAt(0))
        download(new Blob([bytes], { type: 'application/octet-stream' }), `${m.baseName}.safetensors`)
        download(JSON.stringify(m.card, null, 2) + '\n', `${m.baseName}.model.json`, 'application/json')
      },
      (e: Error) => setError(e.message),
    )

  if (!run)
    return (
      <div className="page">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading run {runId}…</p>
        )}
        <button type="button" onClick={onBack}>
          Back to results
        </button>
      </div>
    )
  const finished = run.status !== 'running' && run.status !== 'queued'
  return (
    <div className="page run-page" data-testid="run-page">
      <div className="toolbar">
        <button type="button" className="link-button" onClick={onBack}>
          ← Results
        </button>
      </div>
      <h1 className="page-title">
        Run {run.id}: {methodName(methods, run.method, run.task)} · {run.backbone} ·{' '}
        {fractionLabel(run.labelFraction)} labels · seed {run.seed}{' '}
        <span className={`status-chip status-${run.status}`}>{run.status}</span>
        {run.hidden && <span className="muted small"> hidden</span>}
      </h1>
      <div className="toolbar">
        <button type="button" onClick={() => void setHidden(!run.hidden)}>
          {run.hidden ? 'Show in results' : 'Hide from results'}
        </button>
        {run.status === 'succeeded' && (
          <button
            type="button"
            title="Weights as safetensors with a JSON model card"
            onClick={() => void exportModel()}
          >
            Export model
          </button>
        )}
        <button
          type="button"
          className="danger"
          disabled={!finished}
          title={finished ? undefined : 'Cancel it in Jobs first'}
          onClick={() => setConfirmDelete(true)}
        >
          Delete run
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {run.error && <p className="run-error">{run.error}</p>}
      <section className="card">
        <h2>Scores</h2>
        <RunFinalScores task={run.task} final={run.final} />
        {run.task === 'classification' && <ClassificationRunDetail final={run.final} />}
        {run.task === 'segmentation' && <SegmentationRunDetail final={run.final} maskClasses={maskClasses} />}
      </section>
      <section className="card">
        <h2>Training and validation curves</h2>
        <RunMetricsChart runId={run.id} live={run.status === 'running'} />
      </section>
      {run.task === 'segmentation' && finished && (
        <section className="card">
          <h2>Test images, worst first</h2>
          <RunImageScores runId={run.id} onOpenImage={onOpenImage} />
        </section>
      )}
      <section className="card">
        <h2>Configuration</h2>
        <RunConfiguration run={run} />
      </section>
      <section className="card">
        <h2>Log</h2>
        {run.log.length === 0 ? (
          <p className="muted">Nothing logged.</p>
        ) : (
          <pre className="run-log" data-testid="run-log">
            {run.log.map((l) => `${new Date(l.at).toLocaleTimeString()}  ${l.line}`).join('\n')}
          </pre>
        )}
      </section>
      {confirmDelete && (
        <Modal title={`Delete run ${run.id}?`} onClose={() => setConfirmDelete(false)}>
          <p>
            Its scores, curves, log, predictions and checkpoint are removed for good. Masks you accepted from
            its predictions stay.
          </p>
          <div className="form-actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete run
            </button>
          </div>
        </Modal>
      )}
    </div>
  )
}
