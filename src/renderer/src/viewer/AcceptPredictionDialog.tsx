import { useEffect, useState } from 'react'
import type { PredictionDifference, PredictionSummary } from '../../../shared/contract/viewer'
import { client } from '../api/client'
import type { AcceptChoice, AcceptPredictionOptions } from '../annotation/useMaskSession'
import { AcceptChoiceFields } from './AcceptChoiceFields'
import { Modal } from '../ui/Modal'

const SUBSET_WORDS = { val: 'validation', test: 'test' } as const

function pixels(n: number, of: number): string {
  return `${n.toLocaleString()} px (${of ? ((100 * n) / of).toFixed(1) : '0'} %)`
}

/**
 * The confirmation before a prediction becomes the mask: what it replaces (the mask's origin and date, pixels
 * added, removed and changed in the chosen mode), replace, fill only where unpainted or take only confident
 * pixels above a threshold, and on validation and test images a
 * warning that this is evaluation ground truth (refused outright when the project locks those masks).
 */
export function AcceptPredictionDialog({
  imageId,
  imageName,
  run,
  locked,
  choice,
  setChoice,
  onAccept,
  onClose,
}: {
  imageId: number
  imageName: string
  run: PredictionSummary
  locked: boolean
  /** How to accept: the viewer's one choice, which the difference view draws too. */
  choice: AcceptChoice
  setChoice(c: AcceptChoice): void
  onAccept: (opts: AcceptPredictionOptions) => Promise<void>
  onClose: () => void
}) {
  const [diff, setDiff] = useState<PredictionDifference | null>(null)
  const { mode, threshold } = choice
  const [confirmed, setConfirmed] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The counts are the core's for the chosen mode: what accepting that way would change.
  useEffect(() => {
    let live = true
    setError(null)
    client
      .call('viewer.comparePrediction', {
        imageId,
        runId: run.runId,
        mode,
        ...(mode === 'confident' && { threshold }),
      })
      .then(
        (d) => live && setDiff(d),
        (e: Error) => live && setError(e.message),
      )
    return () => {
      live = false
    }
  }, [imageId, run.runId, mode, threshold])

  const evaluation = diff?.evaluation ?? null
  const blocked = !diff || busy || (evaluation !== null && (locked || !confirmed))
  const accept = () => {
    setBusy(true)
    onAccept({
      mode,
      ...(mode === 'confident' && { threshold }),
      evaluationConfirmed: confirmed,
    }).then(onClose, (e: Error) => {
      setError(e.message)
      setBusy(false)
    })
  }
  const replaced = diff && diff.removed + diff.changed
  return (
    <Modal title="Accept prediction as mask" onClose={onClose}>
      <div className="accept-prediction" data-testid="accept-prediction">
        {!diff && !error && <p className="muted">Comparing the prediction with the mask…</p>}
        {diff && (
          <>
            <p>
              Run {run.runId} ({run.method}) on <strong>{imageName}</strong>{' '}
              {diff.mask ? (
                <>
                  replaces the current mask (
                  {diff.mask.kind === 'import'
                    ? 'imported'
                    : diff.mask.kind === 'prediction'
                      ? 'an accepted prediction'
                      : 'painted'}
                  , {new Date(diff.mask.createdAt).toLocaleString()}, {pixels(diff.maskPixels, diff.pixels)}{' '}
                  painted).
                </>
              ) : (
                <>becomes the first mask of this image.</>
              )}
            </p>
            {evaluation && (
              <div className="evaluation-warning" role="alert">
                <strong>Evaluation data.</strong> This image is in the {SUBSET_WORDS[evaluation]} set: its
                mask is the ground truth scores are computed against. Changing it changes every result on it.
                {locked ? (
                  <p>
                    The project locks validation and test masks; unlock them in the viewer’s side panel first.
                  </p>
                ) : (
                  <label>
                    <input
                      type="checkbox"
                      checked={confirmed}
                      onChange={(e) => setConfirmed(e.target.checked)}
                    />{' '}
                    I mean to change {SUBSET_WORDS[evaluation]} ground truth
                  </label>
                )}
              </div>
            )}
            <AcceptChoiceFields
              name="accept-mode"
              choice={choice}
              setChoice={setChoice}
              hasProbabilities={run.probabilities.length > 0}
            />
            <ul className="difference-counts" aria-label="What changes">
              <li>
                <span className="swatch" style={{ background: '#0072b2' }} /> added:{' '}
                {pixels(diff.added, diff.pixels)}
              </li>
              <li>
                <span className="swatch" style={{ background: '#d55e00' }} /> removed:{' '}
                {pixels(diff.removed, diff.pixels)}
              </li>
              <li>
                <span className="swatch" style={{ background: '#f0e442' }} /> class changed:{' '}
                {pixels(diff.changed, diff.pixels)}
              </li>
            </ul>
            <p className="muted">
              {replaced ? `${replaced.toLocaleString()} painted pixels will be replaced. ` : ''}The accepted
              prediction is a new revision recorded with run {run.runId}, and the image counts as reviewed
              (not hand-labelled) from then on: one undo brings the mask back.
            </p>
          </>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={blocked} onClick={accept}>
            {mode === 'replace'
              ? 'Replace mask'
              : mode === 'fillUnpainted'
                ? 'Fill unpainted'
                : 'Accept confident pixels'}
          </button>
        </div>
      </div>
    </Modal>
  )
}
