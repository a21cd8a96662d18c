import { useState } from 'react'
import type { MethodInfo } from '../../../shared/contract/methods'
import type { ExperimentTask } from '../../../shared/experiments'
import { client } from '../api/client'
import { callProblem, type CallProblem } from '../ui/fieldIssues'
import { LABEL_FRACTIONS } from './paperFractions'
import { percent } from './percent'
import { useMethods } from './useMethods'
import { ExperimentList } from './ExperimentList'
import { TaskChoice } from '../ui/TaskChoice'
import { PresetChoice, type Preset } from './PresetChoice'
import { SeedsField } from './SeedsField'

/** Settings that make every run of a trial experiment a few steps long, whatever the method calls them. */
const TRIAL: Record<string, number> = { epochs: 1, maxIterations: 4, 'dino.epochs': 1, 'cass.epochs': 1 }

/** The trial settings the chosen methods have (an experiment refuses a setting none of them knows). */
function trialOverrides(methods: MethodInfo[]): Record<string, number> {
  return Object.fromEntries(
    Object.entries(TRIAL).filter(([name]) =>
      methods.some((m) => m.hyperparameters.some((h) => h.name === name)),
    ),
  )
}

/**
 * An experiment: the chosen methods × label fractions × seeds as one queued matrix. Runs already done with
 * the same settings, seed, backend and labels are reused; the list below follows its progress.
 */
export function ExperimentPanel() {
  const [task, setTask] = useState<ExperimentTask>('segmentation')
  const methods = useMethods().filter((m) => m.task === task && m.available)
  const [chosen, setChosen] = useState<string[]>(['supervised', 'cross-teaching'])
  const [fractions, setFractions] = useState<number[]>([...LABEL_FRACTIONS])
  const [seeds, setSeeds] = useState(5)
  const [preset, setPreset] = useState<Preset>('quick')
  const [trial, setTrial] = useState(false)
  const [problem, setProblem] = useState<CallProblem | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)

  const picked = chosen.filter((id) => methods.some((m) => m.id === id))
  const cells = methods
    .filter((m) => picked.includes(m.id))
    .reduce((n, m) => n + (m.usesLabels ? fractions.length : 1), 0)
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

  const start = async () => {
    setBusy(true)
    setProblem(null)
    setMessage(null)
    try {
      const chosenMethods = methods.filter((m) => picked.includes(m.id))
      const names = chosenMethods.map((m) => m.name)
      const r = await client.call('experiments.start', {
        name: `${names.join(' vs ')} · ${fractions.map(percent).join(', ')} · ${seeds} seeds${trial ? ' (trial)' : ''}`,
        tasks: [task],
        methods: picked,
        backbones: [],
        labelFractions: [...fractions].sort((a, b) => a - b),
        seeds,
        preset,
        overrides: trial ? trialOverrides(chosenMethods) : {},
      })
      setMessage(
        `${r.queued} run${r.queued === 1 ? '' : 's'} queued${r.reused ? `, ${r.reused} already done and reused` : ''}.`,
      )
    } catch (e) {
      setProblem(callProblem(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card form" aria-label="Experiment">
      <h2>Experiment: methods × label fractions × seeds</h2>
      <p className="muted">
        Compares methods as the paper does: every method at every label fraction, each seed drawing its own
        labelled set, shared by all methods. Runs already done are not trained again.
      </p>
      <fieldset className="field">
        <legend>Task</legend>
        <TaskChoice task={task} onChange={setTask} />
      </fieldset>
      <fieldset className="field">
        <legend>Methods</legend>
        <div className="check-row" aria-label="Experiment methods">
          {methods.map((m) => (
            <label key={m.id} className="check">
              <input
                type="checkbox"
                checked={picked.includes(m.id)}
                onChange={() => setChosen((c) => toggle(c, m.id))}
              />{' '}
              {m.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>Label fractions</legend>
        <div className="check-row" aria-label="Experiment label fractions">
          {LABEL_FRACTIONS.map((f) => (
            <label key={f} className="check">
              <input
                type="checkbox"
                checked={fractions.includes(f)}
                onChange={() => setFractions((fs) => toggle(fs, f))}
              />{' '}
              {percent(f)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field-row">
        <SeedsField
          label="Seeds per cell"
          seeds={seeds}
          setSeeds={setSeeds}
          hint="Fewer than 3 seeds give no meaningful interval."
        />
        <PresetChoice name="experiment-preset" preset={preset} setPreset={setPreset}>
          <label className="check">
            <input type="checkbox" checked={trial} onChange={() => setTrial((t) => !t)} /> Trial: one epoch
            per run, to check the set-up
          </label>
        </PresetChoice>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="form-actions">
        <span className="muted" data-testid="experiment-size">
          {cells} cell{cells === 1 ? '' : 's'} × {seeds} seed{seeds === 1 ? '' : 's'} = {cells * seeds} runs
          {message && ` · ${message}`}
        </span>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || cells === 0}
          onClick={() => void start()}
        >
          {busy ? 'Starting…' : 'Start experiment'}
        </button>
      </div>
      <ExperimentList />
    </section>
  )
}
