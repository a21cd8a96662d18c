import type { LiveJobs } from '../state/useLiveJobs'
import { JobCard } from './JobCard'

const ORDER = { running: 0, queued: 1, failed: 2, cancelled: 3, succeeded: 4 }

/** Every job of this session: running first, then the queue in order, then finished ones. */
export function JobsPanel({ live }: { live: LiveJobs }) {
  const jobs = [...live.jobs].sort(
    (a, b) =>
      ORDER[a.status] - ORDER[b.status] ||
      (a.status === 'queued'
        ? a.createdAt.localeCompare(b.createdAt)
        : b.createdAt.localeCompare(a.createdAt)),
  )
  return (
    <div className="page">
      <h1 className="page-title">Jobs</h1>
      <p className="muted">
        Imports, demo projects and training runs. Jobs on the same device run one at a time; the rest wait in
        order.
      </p>
      {jobs.length === 0 && <div className="empty card">No jobs yet in this session.</div>}
      <div className="job-list">
        {jobs.map((job) => (
          <JobCard key={job.id} job={job} losses={live.losses[job.id]} />
        ))}
      </div>
    </div>
  )
}
