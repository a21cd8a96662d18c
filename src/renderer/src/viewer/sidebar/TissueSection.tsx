import type { Tissue } from '../useTissue'

/** The tissue mask of a slide on request, and what it decided: tiles used and tiles skipped as glass. */
export function TissueSection({ t }: { t: Tissue }) {
  const d = t.found?.data
  return (
    <section aria-label="Tissue detection">
      <h2>Tissue detection</h2>
      <label>
        <input type="checkbox" checked={t.shown} onChange={(e) => t.setShown(e.target.checked)} /> Show the
        tissue mask
      </label>
      {t.error && <p role="alert">{t.error}</p>}
      {t.shown && t.found === null && <p>This image was imported without tissue detection.</p>}
      {d && (
        <p data-testid="tissue-caption">
          {d.tilesUsed} tiles used for training and prediction, {d.tilesSkipped} skipped as mostly glass
          (saturation above {d.threshold} is tissue)
        </p>
      )}
    </section>
  )
}
