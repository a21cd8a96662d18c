import { useEffect, useState } from 'react'
import type { RunImageScore } from '../../../shared/training'
import { client } from '../api/client'

/** A segmentation run's test images, worst IoU first; each opens the image with the run's prediction over it. */
export function RunImageScores({
  runId,
  onOpenImage,
}: {
  runId: number
  onOpenImage(imageId: number): void
}) {
  const [scores, setScores] = useState<RunImageScore[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    client.call('runs.imageScores', { runId }).then(setScores, (e: Error) => setError(e.message))
  }, [runId])
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    )
  if (!scores) return <p className="muted">Scoring the test images…</p>
  if (scores.length === 0) return <p className="muted">This run has no scored test images.</p>
  return (
    <>
      <p className="muted small">
        Each test image&apos;s stored prediction against its mask as it is now, at the image&apos;s own
        pixels.
      </p>
      <table className="data-table compact" data-testid="run-image-scores">
        <thead>
          <tr>
            <th>Image</th>
            <th>IoU</th>
            <th>Dice</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {scores.map((s) => (
            <tr key={s.imageId}>
              <th scope="row">{s.name}</th>
              <td>{s.iou === null ? '—' : s.iou.toFixed(4)}</td>
              <td>{s.dice === null ? '—' : s.dice.toFixed(4)}</td>
              <td>
                {s.predicted ? (
                  <button type="button" className="link-button" onClick={() => onOpenImage(s.imageId)}>
                    see prediction
                  </button>
                ) : (
                  <span className="muted small">no prediction stored</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
