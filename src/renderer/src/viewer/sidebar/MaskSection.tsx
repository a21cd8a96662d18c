import type { ClassDef } from '../../../../shared/types'
import { ActionButton, actionTitle } from '../ActionButton'
import { formatKeys } from '../actions/keys'
import { paintClass, toggleMask } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'

/** The class the tools paint, and how the mask shows (visible, opacity). */
export function MaskSection({
  v,
  classes,
  current,
  opacity,
  setOpacity,
}: {
  v: ViewerCommands
  classes: ClassDef[]
  /** The class painted, as a place in `classes` (1-based). */
  current: number
  opacity: number
  setOpacity: (o: number) => void
}) {
  return (
    <section aria-label="Mask classes">
      <h2>Paint class</h2>
      <ul className="class-list">
        {classes.map((c, i) => (
          <li key={c.id}>
            <ActionButton
              action={paintClass}
              v={v}
              keyIndex={i}
              label={`Paint with ${c.name}`}
              pressed={current === i + 1 && v.tool !== 'eraser'}
              onClick={() => v.paintWith(i + 1)}
            >
              <span className="swatch" style={{ background: c.color }} /> {c.name}
            </ActionButton>
          </li>
        ))}
      </ul>
      <label title={actionTitle(toggleMask)}>
        <input type="checkbox" checked={v.maskVisible} onChange={v.toggleMask} /> Show mask (
        {formatKeys(toggleMask.keys!)})
      </label>
      <label>
        Opacity{' '}
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(opacity * 100)}
          aria-label="Mask opacity"
          onChange={(e) => setOpacity(Number(e.target.value) / 100)}
        />
      </label>
    </section>
  )
}
