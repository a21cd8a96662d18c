import type { ReactNode } from 'react'

export type Preset = 'quick' | 'paper'

/** The two presets every method has, in the words the panels show. */
const PRESETS: { preset: Preset; label: string; hint: string }[] = [
  { preset: 'quick', label: 'Quick', hint: 'small models, minutes on a CPU' },
  { preset: 'paper', label: 'Paper', hint: 'paper-sized models and schedules; a GPU is advised' },
]

/** Quick or paper preset, as radio buttons under one legend; `children` adds fields to the same group. */
export function PresetChoice({
  name,
  preset,
  setPreset,
  children,
}: {
  /** The radio group's form name, unique on the page. */
  name: string
  preset: Preset
  setPreset: (preset: Preset) => void
  children?: ReactNode
}) {
  return (
    <fieldset className="field">
      <legend>Preset</legend>
      {PRESETS.map((p) => (
        <label key={p.preset} className="radio">
          <input
            type="radio"
            name={name}
            checked={preset === p.preset}
            onChange={() => setPreset(p.preset)}
          />
          {p.label} <small className="muted">({p.hint})</small>
        </label>
      ))}
      {children}
    </fieldset>
  )
}
