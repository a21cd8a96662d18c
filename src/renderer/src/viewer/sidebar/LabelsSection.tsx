import type { ImageSummary, ProjectInfo } from '../../../../shared/types'
import { ActionButton } from '../ActionButton'
import { clearLabels, setLabel } from '../actions/maskActions'
import type { ViewerCommands } from '../actions/types'

/** The image's labels: one button per class (its number key), and Clear. */
export function LabelsSection({
  v,
  project,
  image,
}: {
  v: ViewerCommands
  project: ProjectInfo
  image: ImageSummary
}) {
  return (
    <section aria-label="Image labels">
      <h2>Image labels: diagnosis ({project.labelMode === 'multi-class' ? 'one of' : 'any of'})</h2>
      <div className="label-row">
        {project.classes.map((c, i) => (
          <ActionButton
            key={c.id}
            action={setLabel}
            v={v}
            keyIndex={i}
            label={c.name}
            pressed={image.labels.includes(c.id)}
            onClick={() => v.toggleLabel(i + 1)}
          >
            <span className="swatch" style={{ background: c.color }} /> {c.name}
          </ActionButton>
        ))}
        <ActionButton action={clearLabels} v={v} />
      </div>
    </section>
  )
}
