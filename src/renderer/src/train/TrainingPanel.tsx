import { useState } from 'react'
import type { ProjectInfo } from '../../../shared/types'
import { client } from '../api/client'
import { JobCard } from '../jobs/JobCard'
import type { LiveJobs } from '../state/useLiveJobs'
import { callProblem, type CallProblem } from '../ui/fieldIssues'
import type { LabelFractionState } from '../../../shared/contract/labelFraction'
import { LabelledSetControl } from './LabelledSetControl'
import { backboneOverrides, cassBackboneOverrides } from '../../../shared/classifierBackbones'
import { BackboneChoice } from './BackboneChoice'
import { DinoRecipeChoice } from './DinoRecipeChoice'
import type { DinoRecipe } from '../../../shared/dinoRecipes'
import { LABEL_FRACTIONS } from './paperFractions'
import { percent } from './percent'
import { PresetChoice, type Preset } from './PresetChoice'
import { PresetSettings } from './PresetSettings'
import { SeedsField } from './SeedsField'
import { useMethods } from './useMethods'
import { ExperimentPanel } from './ExperimentPanel'
import { TaskChoice } from '../ui/TaskChoice'

type Task = 'segmentation' | 'classification'

/** 'active': the labelled set chosen above; a fraction (0–1): a series drawing each seed's own nested set. */
type Fraction = number | 'active'

/** Choose task, method, label fractions, seeds and preset; each fraction becomes its own queued job. */
export function TrainingPanel({ project, live }: { project: ProjectInfo; live: LiveJobs }) {
  const [task, setTask] = useState<Task>('segmentation')
  const [method, setMethod] = useState('supervised')
  const [fractions, setFractions] = useState<Fraction[]>(['active'])
  const [labelled, setLabelled] = useState<LabelFractionState | null>(null)
  const [seeds, setSeeds] = useState(1)
  const [preset, setPreset] = useState<Preset>('quick')
  // Classification: the backbone (CASS: its CNN + Transformer pair); 'preset' follows the preset.
  const [backbone, setBackbone] = useState('preset')
  const [dinoRecipe, setDinoRecipe] = useState<DinoRecipe>('official')
  const [problem, setProblem] = useState<CallProblem | null>(null)
  const [started, setStarted] = useState<string[]>([])
  const [busy, setBusy] = useState(false)

  const methods = useMethods().filter((m) => m.task === task)
  const info = methods.find((m) => m.id === method) ?? methods[0]
  const usesLabels = info?.usesLabels ?? true
  const chosen: Fraction[] = usesLabels ? fractions : [0]
  const classify = task === 'classification'
  const cass = info?.id === 'cass'
  // A single backbone's choice does not carry over to CASS's pair, nor back.
  const backboneFits = backbone === 'preset' || backbone.includes('+') === cass
  const activeFits = labelled?.active != null && (labelled.active.task ?? task) === task
  const missingSet = chosen.includes('active') && !activeFits
  // What the run's choices change from the preset: the backbone, and DINO's recipe.
  const overrides = {
    ...(classify && backbone !== 'preset' && backboneFits
      ? cass
        ? cassBackboneOverrides(backbone)
        : backboneOverrides(backbone)
      : {}),
    ...(info?.id === 'dino' ? { dinoPreset: dinoRecipe } : {}),
  }
  const toggleFraction = (f: Fraction) =>
    setFractions((fs) => (fs.includes(f) ? fs.filter((x) => x !== f) : [...fs, f]))

  const start = async () => {
    setBusy(true)
    setProblem(null)
    try {
      const ids: string[] = []
      for (const labelFraction of chosen) {
        const r = await client.call('train.start', {
          task,
          method: info.id,
          labelFraction,
          seeds,
          preset,
          overrides,
        })
        ids.push(...r.jobIds)
      }
      setStarted(ids)
    } catch (e) {
      setProblem(callProblem(e))
    } finally {
      setBusy(false)
    }
  }

  const trainJobs = live.jobs.filter((j) => j.kind === 'train')
  const current =
    trainJobs.find((j) => j.status === 'running') ?? trainJobs.find((j) => started.includes(j.id))
  const queued = trainJobs.filter((j) => j.status === 'queued').length

  return (
    <div className="page">
      <h1 className="page-title">Train</h1>
      <div className="train-layout">
        <section className="card form" aria-label="Training settings">
          <fieldset className="field">
            <legend>Task</legend>
            <TaskChoice
              task={task}
              onChange={(t) => {
                setTask(t)
                setMethod('supervised')
              }}
            />
          </fieldset>
          <fieldset className="field">
            <legend>Method</legend>
            <div className="method-list">
              {methods.length === 0 && <p className="muted">Loading the methods…</p>}
              {methods.map((m) => (
                <label key={m.id} className={m.id === info?.id ? 'method method-active' : 'method'}>
                  <input
                    type="radio"
                    name="method"
                    checked={m.id === info?.id}
                    disabled={!m.available}
                    onChange={() => setMethod(m.id)}
                  />
                  <span>
                    <strong>{m.name}</strong> <span className="chip">{m.kind}</span>
                    {!m.available && <span className="chip">not in this version</span>}
                    <br />
                    <span className="muted">{m.description}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {classify && (
            <BackboneChoice cass={cass} value={backboneFits ? backbone : 'preset'} onChange={setBackbone} />
          )}
          {classify && info?.id === 'dino' && (
            <DinoRecipeChoice value={dinoRecipe} onChange={setDinoRecipe} />
          )}
          <fieldset className="field">
            <legend>Labelled set</legend>
            {usesLabels ? (
              <>
                <LabelledSetControl task={task} onState={setLabelled} />
                <div className="check-row" aria-label="Train on">
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={fractions.includes('active')}
                      onChange={() => toggleFraction('active')}
                    />{' '}
                    this labelled set
                  </label>
                  <span className="muted">and a series at</span>
                  {LABEL_FRACTIONS.map((f) => (
                    <label key={f} className="check">
                      <input
                        type="checkbox"
                        checked={fractions.includes(f)}
                        onChange={() => toggleFraction(f)}
                      />{' '}
                      {percent(f)}
                    </label>
                  ))}
                </div>
                <small className="muted">
                  A series draws each seed its own set at that fraction, as the paper compares methods.
                </small>
              </>
            ) : (
              <p className="muted">{info?.name} uses no labels (label fraction 0 %).</p>
            )}
            <span className="muted">
              {project.counts.labelledImages} of {project.counts.images} images labelled,{' '}
              {project.counts.masks} masks.
            </span>
          </fieldset>
          <div className="field-row">
            <SeedsField
              label="Seeds"
              seeds={seeds}
              setSeeds={setSeeds}
              hint="The paper reports 5 seeds as mean ± 95 % CI."
            />
            <PresetChoice name="preset" preset={preset} setPreset={setPreset} />
          </div>
          {info && <PresetSettings method={info} preset={preset} overrides={overrides} />}
          {problem && (
            <p className="form-error" role="alert">
              {problem.message}
            </p>
          )}
          <div className="form-actions">
            <span className="muted">
              {chosen.length * seeds} run{chosen.length * seeds === 1 ? '' : 's'}
              {queued > 0 && ` · ${queued} already queued`}
              {missingSet && ' · choose a labelled set first'}
            </span>
            <button
              type="button"
              className="button button-primary"
              disabled={busy || chosen.length === 0 || !info?.available || missingSet}
              onClick={() => void start()}
            >
              {busy ? 'Starting…' : 'Start training'}
            </button>
          </div>
        </section>
        <section className="train-live" aria-label="Current training">
          {current ? (
            <JobCard job={current} losses={live.losses[current.id]} />
          ) : (
            <div className="empty card">
              <h2>No training running</h2>
              <p className="muted">
                Start a run: its progress, loss curves and learning rate appear here, live.
              </p>
            </div>
          )}
        </section>
      </div>
      <ExperimentPanel />
    </div>
  )
}
