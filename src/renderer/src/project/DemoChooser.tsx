import type { JobState } from '../../../shared/events'
import type { LabelMode } from '../../../shared/types'
import { ProgressBar } from '../ui/ProgressBar'
import type { useDemoCreation } from './useDemoCreation'

const DEMOS: { variant: LabelMode; title: string; text: string }[] = [
  {
    variant: 'multi-class',
    title: 'Dermoscopy demo',
    text: 'Skin lesions with one diagnosis each (nevus, melanoma, keratosis) and a lesion mask, like ISIC-2017.',
  },
  {
    variant: 'multi-label',
    title: 'Histology demo',
    text: 'Muscle-biopsy fields with findings that co-occur (inflammation, vessel, necrosis) and masks, like the Dermatomyositis slides.',
  },
]

/** The two demo projects side by side, each with its button, and progress while one is generated. */
export function DemoChooser({
  demo,
  demoJob,
}: {
  demo: ReturnType<typeof useDemoCreation>
  demoJob: JobState | null
}) {
  return (
    <>
      <section className="demo-cards" aria-label="Demo projects">
        {DEMOS.map((d) => (
          <article key={d.variant} className="card demo-card" data-variant={d.variant}>
            <h2>{d.title}</h2>
            <p>{d.text}</p>
            {demo.busy === d.variant ? (
              <div className="demo-progress">
                <ProgressBar fraction={demoJob?.progress.fraction ?? null} label="Demo project progress" />
                <span className="muted">{demoJob?.progress.message ?? 'Starting…'}</span>
              </div>
            ) : (
              <button
                type="button"
                className="button button-primary"
                disabled={demo.busy !== null}
                onClick={() => void demo.create(d.variant)}
              >
                Create the {d.variant} demo
              </button>
            )}
          </article>
        ))}
      </section>
      {demo.error && (
        <p className="form-error" role="alert">
          {demo.error}
        </p>
      )}
    </>
  )
}
