import { useState, type FormEvent } from 'react'
import type { ProjectInfo, LabelMode } from '../../../shared/types'
import { client } from '../api/client'
import { callProblem, type CallProblem } from '../ui/fieldIssues'
import { BrowseButton } from '../ui/BrowseButton'

/** The project's label mode, in the words a lab uses: one diagnosis per image, or any number of findings. */
const LABEL_MODES: { mode: LabelMode; label: string; hint: string }[] = [
  { mode: 'multi-class', label: 'One class per image', hint: 'multi-class, e.g. ISIC-2017 diagnoses' },
  { mode: 'multi-label', label: 'Any number of classes', hint: 'multi-label, e.g. findings that co-occur' },
]

interface ClassRow {
  name: string
  color: string
}

// Calm, distinguishable defaults for new classes; the user can change any of them.
const CLASS_PALETTE = ['#3b7ea1', '#c0504d', '#6a9a4f', '#8e6bb0', '#d08b2c', '#4aa3a0', '#b55d8c', '#7a7a52']

function FieldError({ problem, path }: { problem: CallProblem | null; path: string }) {
  const message = problem?.fields[path]
  return message ? (
    <span className="field-error" role="alert" data-field={path}>
      {message}
    </span>
  ) : null
}

/** New project: name, folder, label mode and classes; the API's field errors appear beside each field. */
export function CreateProjectForm({
  suggestedParent,
  onCreated,
  onCancel,
}: {
  suggestedParent: string | null
  onCreated: (p: ProjectInfo) => void
  onCancel?: () => void
}) {
  const [name, setName] = useState('')
  const [dir, setDir] = useState('')
  const [dirTouched, setDirTouched] = useState(false)
  const [labelMode, setLabelMode] = useState<LabelMode>('multi-class')
  const [classes, setClasses] = useState<ClassRow[]>([
    { name: '', color: CLASS_PALETTE[0] },
    { name: '', color: CLASS_PALETTE[1] },
  ])
  const [maskClasses, setMaskClasses] = useState('')
  const [problem, setProblem] = useState<CallProblem | null>(null)
  const [busy, setBusy] = useState(false)

  const slug = name
    .trim()
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  const shownDir = dirTouched || !suggestedParent ? dir : slug ? `${suggestedParent}/${slug}` : ''

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    try {
      const info = await client.call('project.create', {
        name,
        dir: shownDir,
        labelMode,
        classes,
        maskClasses: maskClasses
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean)
          .map((m) => ({ name: m })),
      })
      onCreated(info)
    } catch (err) {
      setProblem(callProblem(err))
    } finally {
      setBusy(false)
    }
  }
  const setClass = (i: number, patch: Partial<ClassRow>) =>
    setClasses((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)))

  return (
    <form className="form" onSubmit={submit} aria-label="Create a project" noValidate>
      <label className="field">
        <span>Project name</span>
        <input
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Dermatomyositis 2024"
        />
        <FieldError problem={problem} path="name" />
      </label>
      <label className="field">
        <span>Folder</span>
        <input
          name="dir"
          value={shownDir}
          onChange={(e) => {
            setDirTouched(true)
            setDir(e.target.value)
          }}
          placeholder="/path/to/a/new/folder"
        />
        <BrowseButton
          purpose="newProject"
          label="Choose where…"
          onPick={([p]) => {
            setDirTouched(true)
            setDir(p)
          }}
        />
        <FieldError problem={problem} path="dir" />
      </label>
      <fieldset className="field">
        <legend>Labels per image</legend>
        {LABEL_MODES.map((m) => (
          <label key={m.mode} className="radio">
            <input
              type="radio"
              name="labelMode"
              checked={labelMode === m.mode}
              onChange={() => setLabelMode(m.mode)}
            />
            {m.label} <small>({m.hint})</small>
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>Image labels (diagnoses or findings)</legend>
        {classes.map((c, i) => (
          <div className="class-row" key={i}>
            <input
              type="color"
              aria-label={`Colour of class ${i + 1}`}
              value={c.color}
              onChange={(e) => setClass(i, { color: e.target.value })}
            />
            <input
              aria-label={`Name of class ${i + 1}`}
              value={c.name}
              onChange={(e) => setClass(i, { name: e.target.value })}
              placeholder={`class ${i + 1}`}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove class ${i + 1}`}
              onClick={() => setClasses((cs) => cs.filter((_, j) => j !== i))}
            >
              ×
            </button>
            <FieldError problem={problem} path={`classes.${i}.name`} />
            <FieldError problem={problem} path={`classes.${i}.color`} />
          </div>
        ))}
        <button
          type="button"
          className="link-button"
          onClick={() =>
            setClasses((cs) => [...cs, { name: '', color: CLASS_PALETTE[cs.length % CLASS_PALETTE.length] }])
          }
        >
          + Add a class
        </button>
        <FieldError problem={problem} path="classes" />
      </fieldset>
      <label className="field">
        <span>
          Mask classes <small>(what a pixel can be, comma-separated; background is implicit)</small>
        </span>
        <input
          value={maskClasses}
          aria-label="Mask classes"
          placeholder="lesion  ·  or: tumour, stroma, necrosis"
          onChange={(e) => setMaskClasses(e.target.value)}
        />
        <FieldError problem={problem} path="maskClasses" />
      </label>
      {problem && Object.keys(problem.fields).length === 0 && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  )
}
