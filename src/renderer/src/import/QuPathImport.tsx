import type { GeoJsonImportSummary } from '../../../shared/types'

export interface QuPathImportChoices {
  createClasses: boolean
  skipUnclassified: boolean
}

/** How a QuPath GeoJSON import maps classes: by name, refusing unknown ones unless asked to add them. */
export function QuPathImportOptions({
  choices,
  disabled,
  onChange,
}: {
  choices: QuPathImportChoices
  disabled: boolean
  onChange: (choices: QuPathImportChoices) => void
}) {
  return (
    <fieldset className="field" disabled={disabled}>
      <legend>Classes</legend>
      <p className="muted">
        Each object&apos;s classification is matched to a mask class by name; the file&apos;s name picks the
        image (<code>case 1.geojson</code> for <code>case 1.svs</code>).
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choices.createClasses}
          onChange={(e) => onChange({ ...choices, createClasses: e.target.checked })}
        />{' '}
        Add mask classes the file names but the project lacks
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choices.skipUnclassified}
          onChange={(e) => onChange({ ...choices, skipUnclassified: e.target.checked })}
        />{' '}
        Leave out objects without a classification
      </label>
    </fieldset>
  )
}

/** What a finished GeoJSON import did, and every object it left out. */
export function QuPathImportResult({ summary }: { summary: GeoJsonImportSummary }) {
  return (
    <div role="status" className="import-result">
      <p>
        Imported {summary.features} object{summary.features === 1 ? '' : 's'} into {summary.masks} mask
        {summary.masks === 1 ? '' : 's'} (a new revision each: undo restores the previous mask).
        {summary.maskClassesAdded.length > 0 && (
          <> Added mask classes: {summary.maskClassesAdded.join(', ')}.</>
        )}
      </p>
      {summary.skipped.length > 0 && (
        <>
          <p>Left out:</p>
          <ul>
            {summary.skipped.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
