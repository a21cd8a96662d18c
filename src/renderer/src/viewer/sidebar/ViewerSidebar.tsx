import type { ReactNode } from 'react'
import type { ImageSummary, MaskClassDef, ProjectInfo } from '../../../../shared/types'
import { client } from '../../api/client'
import { ExportPanel } from '../../annotation/ExportPanel'
import type { ViewerCommands } from '../actions/types'
import type { PaintSession } from '../usePaintSession'
import type { Predictions } from '../usePredictions'
import type { Saliency } from '../useSaliency'
import type { Overlay } from '../useOverlay'
import { LabelsSection } from './LabelsSection'
import { MaskSection } from './MaskSection'
import { GroundTruthSection } from './GroundTruthSection'
import { PredictionsSection } from './PredictionsSection'
import { SaliencySection } from './SaliencySection'
import { TissueSection } from './TissueSection'
import type { Tissue } from '../useTissue'
import { ToolsSection } from './ToolsSection'

/** The side of the viewer: tools, paint class and mask display, image labels, predictions, saliency, tissue, the open panel. */
export function ViewerSidebar({
  v,
  project,
  image,
  setImage,
  maskClasses,
  updateProject,
  paint,
  overlay,
  predictions,
  saliency,
  queue,
  tissue,
}: {
  v: ViewerCommands
  project: ProjectInfo
  image: ImageSummary
  setImage: (i: ImageSummary) => void
  maskClasses: MaskClassDef[]
  updateProject: (patch: Partial<ProjectInfo>) => void
  paint: PaintSession
  overlay: Overlay
  predictions: Predictions
  saliency: Saliency
  /** The labelling queue's section, when the image is reviewed in one. */
  queue?: ReactNode
  tissue: Tissue
}) {
  return (
    <aside className="viewer-side">
      {queue}
      <ToolsSection v={v} radius={paint.radius} setRadius={paint.setRadius} />
      <MaskSection
        v={v}
        maskClasses={maskClasses}
        setMaskClasses={(m) => updateProject({ maskClasses: m })}
        current={paint.paintClass}
        overlay={overlay}
        setColour={(id, color) =>
          void client
            .call('maskClasses.setColour', { id, color })
            .then((m) => updateProject({ maskClasses: m }))
        }
      />
      <LabelsSection v={v} project={project} image={image} />
      <PredictionsSection
        v={v}
        predictions={predictions}
        overlay={overlay}
        image={image}
        locked={project.lockEvaluationMasks}
        maskClasses={maskClasses}
      />
      <GroundTruthSection
        project={project}
        image={image}
        setLocked={(lockEvaluationMasks) => updateProject({ lockEvaluationMasks })}
      />
      <SaliencySection s={saliency} />
      {image.tileCount > 1 && <TissueSection t={tissue} />}
      {v.panel === 'export' && (
        <ExportPanel onImported={() => void client.call('image.get', { id: image.id }).then(setImage)} />
      )}
    </aside>
  )
}
