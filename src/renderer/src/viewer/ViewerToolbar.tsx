import type { ImageSummary, ProjectInfo } from '../../../shared/types'
import { ActionButton } from './ActionButton'
import { undo, redo } from './actions/historyActions'
import { closeImage, nextImage, previousImage } from './actions/imageActions'
import { exportPanel, toggleHelp } from './actions/panelActions'
import type { ViewerCommands } from './actions/types'
import { actualSize, fitImage } from './actions/viewActions'

/** The bar over the viewer: back and through the images, the image's name and labels, history, view and panels. */
export function ViewerToolbar({
  image,
  project,
  v,
}: {
  image: ImageSummary
  project: ProjectInfo
  v: ViewerCommands
}) {
  const labelNames = project.classes.filter((c) => image.labels.includes(c.id))
  return (
    <header className="viewer-toolbar">
      <ActionButton action={closeImage} v={v} />
      <ActionButton action={previousImage} v={v} />
      <ActionButton action={nextImage} v={v} />
      <h1 className="viewer-title">{image.name}</h1>
      <span className="viewer-badges" aria-label="Image labels">
        {labelNames.length === 0 ? (
          <span className="badge muted">{image.labelled ? 'none of the classes' : 'unlabelled'}</span>
        ) : (
          labelNames.map((c) => (
            <span key={c.id} className="badge" style={{ background: c.color }}>
              {c.name}
            </span>
          ))
        )}
        {image.inTrainingSet && <span className="badge training">in training set</span>}
      </span>
      <span className="spacer" />
      {[undo, redo, fitImage, actualSize, exportPanel, toggleHelp].map((a) => (
        <ActionButton key={a.name} action={a} v={v} />
      ))}
    </header>
  )
}
