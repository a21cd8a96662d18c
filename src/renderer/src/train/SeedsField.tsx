/** Most seeds one request may ask for from the panels: each seed is a whole training run on this machine. */
const MOST_SEEDS = 20

/** How many seeds (independent runs) to train, with a word on what that many gives. */
export function SeedsField({
  label,
  seeds,
  setSeeds,
  hint,
}: {
  label: string
  seeds: number
  setSeeds: (seeds: number) => void
  hint: string
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        aria-label={label}
        min={1}
        max={MOST_SEEDS}
        value={seeds}
        onChange={(e) => setSeeds(Math.max(1, Math.min(MOST_SEEDS, Number(e.target.value) || 1)))}
      />
      <small className="muted">{hint}</small>
    </label>
  )
}
