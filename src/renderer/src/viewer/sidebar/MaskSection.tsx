import { useState } from 'react'
import type { MaskClassDef } from '../../../../shared/types'
import { client } from '../../api/client'
import { ActionButton, actionTitle } from '../ActionButton'
import { formatKeys } from '../actions/keys'
import { paintClass, toggleMask } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'
import type { Overlay } from '../useOverlay'
import { OverlayControls } from './OverlayControls'

/**
 * The mask classes the tools paint (what a pixel is, never a diagnosis), each with its colour and whether it
 * is shown — the legend of the overlay — adding one, and how the mask is drawn.
 */
export function MaskSection({
  v,
  maskClasses,
  setMaskClasses,
  setColour,
  current,
  overlay,
}: {
  v: ViewerCommands
  maskClasses: MaskClassDef[]
  setMaskClasses: (m: MaskClassDef[]) => void
  setColour: (id: number, color: string) => void
  /** The pixel value painted. */
  current: number
  overlay: Overlay
}) {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const add = () => {
    client.call('maskClasses.add', { name }).then(
      (m) => {
        setMaskClasses(m)
        setName('')
        setError(null)
      },
      (e: Error) => setError(e.message),
    )
  }
  return (
    <section aria-label="Mask classes">
      <h2>Paint mask class</h2>
      {maskClasses.length === 0 && (
        <p className="muted">No mask classes yet: add what a pixel can be (lesion, tumour, necrosis…).</p>
      )}
      <ul className="class-list">
        {maskClasses.map((c, i) => (
          <li key={c.id} className="mask-class-row">
            <input
              type="checkbox"
              checked={!overlay.hidden.has(c.value)}
              aria-label={`Show ${c.name}`}
              title={`Show ${c.name}`}
              onChange={() => overlay.toggleHidden(c.value)}
            />
            <input
              type="color"
              value={c.color}
              aria-label={`Colour of ${c.name}`}
              title={`Colour of ${c.name}`}
              onChange={(e) => setColour(c.id, e.target.value)}
            />
            <ActionButton
              action={paintClass}
              v={v}
              keyIndex={i}
              label={`Paint with ${c.name}`}
              pressed={current === c.value && v.tool !== 'eraser'}
              onClick={() => v.paintWith(i + 1)}
            >
              {c.name}
            </ActionButton>
          </li>
        ))}
      </ul>
      <form
        className="add-mask-class"
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim()) add()
        }}
      >
        <input
          value={name}
          placeholder="New mask class"
          aria-label="New mask class name"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
        <button type="submit" disabled={!name.trim()}>
          Add
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <label title={actionTitle(toggleMask)}>
        <input type="checkbox" checked={v.maskVisible} onChange={v.toggleMask} /> Show mask (
        {formatKeys(toggleMask.keys!)})
      </label>
      <OverlayControls
        name="Mask"
        mode={overlay.mode}
        setMode={overlay.setMode}
        opacity={overlay.opacity}
        setOpacity={overlay.setOpacity}
      />
    </section>
  )
}
