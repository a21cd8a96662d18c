import type { JobState } from '../../../shared/events'
import { client } from '../api/client'
import { ProgressBar } from '../ui/ProgressBar'
import { formatDuration } from '../../../shared/formatDuration'
import { LossCurveChart } from './LossCurveChart'
import { trainingTermLabel } from '../../../shared/trainingTerms'
import type { LossPoint } from './lossHistory'

const KIND_LABEL: Record<JobState['kind'], string> = {
  import: 'Import',
  demo: 'Demo',
  train: 'Training',
  predict: 'Prediction',
}

/** One job: state, progress, the numbers a trainer watches, cancel; live loss curves while training. */
export function JobCard({ job, losses }: { job: JobState; losses: LossPoint[] | undefined }) {
  const p = job.progress
  const active = job.status === 'running' || job.status === 'queued'
  const facts: string[] = []
  // The core's message often says the epoch and step already: do not repeat them.
  if (p.epoch !== undefined && !/epoch/i.test(p.message))
    facts.push(`epoch ${p.epoch}${p.epochs ? ` / ${p.epochs}` : ''}`)
  if (p.step !== undefined && !/step/i.test(p.message))
    facts.push(`step ${p.step}${p.steps ? ` / ${p.steps}` : ''}`)
  if (p.imagesPerSecond !== undefined) facts.push(`${p.imagesPerSecond.toFixed(1)} images/s`)
  if (p.lr !== undefined) facts.push(`lr ${p.lr.toExponential(2)}`)
  if (job.status === 'running' && p.etaSeconds !== undefined)
    facts.push(
      `${formatDuration(p.etaSeconds)} left${p.phase && p.phase.index < p.phase.count - 1 ? ' in this stage' : ''}`,
    )
  return (
    <article className={`card job-card job-${job.status}`} data-testid="job-card" data-job-id={job.id}>
      <header className="job-header">
        <span className="chip">{KIND_LABEL[job.kind]}</span>
        <h3>{job.title}</h3>
        <span className={`status-chip status-${job.status}`}>{job.status}</span>
        <span className="header-spacer" />
        {active && (
          <button
            type="button"
            className="button button-small"
            onClick={() => void client.call('jobs.cancel', { jobId: job.id })}
          >
            Cancel
          </button>
        )}
      </header>
      {job.status !== 'succeeded' && job.status !== 'failed' && (
        <ProgressBar
          fraction={job.status === 'queued' ? 0 : job.status === 'cancelled' ? (p.fraction ?? 0) : p.fraction}
          label={`${job.title} progress`}
        />
      )}
      <p className="muted job-device">{job.device}</p>
      {!(job.status === 'failed' && job.error) && (
        <p className="job-message">
          {p.message}
          {facts.length > 0 && <span className="muted"> · {facts.join(' · ')}</span>}
        </p>
      )}
      {p.losses && Object.keys(p.losses).length > 0 && (
        <p className="job-losses">
          {Object.entries(p.losses).map(([k, v]) => (
            <span key={k} className="loss-term">
              {trainingTermLabel(k)} <strong>{v.toFixed(4)}</strong>
            </span>
          ))}
        </p>
      )}
      {job.error && (
        <p className="form-error" role="alert">
          {job.error}
        </p>
      )}
      {job.kind === 'train' && losses && losses.length > 0 && <LossCurveChart history={losses} />}
    </article>
  )
}
