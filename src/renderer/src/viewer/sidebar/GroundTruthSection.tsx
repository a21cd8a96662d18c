import { useState } from 'react'
import type { ImageSummary, ProjectInfo } from '../../../../shared/types'
import { client } from '../../api/client'

/** Whether this image's mask is evaluation ground truth, and the project setting that locks such masks. */
export function GroundTruthSection({
  project,
  image,
  setLocked,
}: {
  project: ProjectInfo
  image: ImageSummary
  setLocked: (locked: boolean) => void
}) {
  const [error, setError] = useState<string | null>(null)
  const subset = image.subset ?? image.officialSplit
  const evaluation = subset === 'val' || subset === 'test' ? subset : null
  return (
    <section aria-label="Ground truth">
      <h2>Ground truth</h2>
      {evaluation && (
        <p className="evaluation-note" role="note">
          {evaluation === 'test' ? 'Test' : 'Validation'} image: its mask is evaluation data
          {project.lockEvaluationMasks ? ' and is locked.' : '.'}
        </p>
      )}
      <label>
        <input
          type="checkbox"
          checked={project.lockEvaluationMasks}
          onChange={(e) =>
            client.call('project.lockEvaluationMasks', { locked: e.target.checked }).then(
              (p) => {
                setLocked(p.lockEvaluationMasks)
                setError(null)
              },
              (err: Error) => setError(err.message),
            )
          }
        />{' '}
        Lock validation and test masks
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
