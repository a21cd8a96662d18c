import { useState } from 'react'
import type { MaskClassDef } from '../../../../shared/types'
import { client } from '../../api/client'
import { ActionButton, actionTitle } from '../ActionButton'
import { formatKeys } from '../actions/keys'
import { paintClass, toggleMask } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'

/** The mask classes the tools paint (what a pixel is, never a diagnosis), adding one, and how the mask shows. */
export function MaskSection({
  v,
  maskClasses,
  setMaskClasses,
  current,
  opacity,
  setOpacity,
}: {
  v: ViewerCommands
  maskClasses: MaskClassDef[]
  setMaskClasses: (m: MaskClassDef[]) => void
  /** The pixel value painted. */
  current: number
  opacity: number
  setOpacity: (o: number) => void
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
          <li key={c.id}>
            <ActionButton
              action={paintClass}
              v={v}
              keyIndex={i}
              label={`Paint with ${c.name}`}
              pressed={current === c.value && v.tool !== 'eraser'}
              onClick={() => v.paintWith(i + 1)}
            >
              <span className="swatch" style={{ background: c.color }} /> {c.name}
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
