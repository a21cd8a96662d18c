import type { ImageSummary, MaskClassDef, ProjectInfo } from '../../../../shared/types'
import { client } from '../../api/client'
import { ExportPanel } from '../../annotation/ExportPanel'
import { LabelFractionPanel } from '../../annotation/LabelFractionPanel'
import type { ViewerCommands } from '../actions/types'
import type { PaintSession } from '../usePaintSession'
import type { Predictions } from '../usePredictions'
import type { Saliency } from '../useSaliency'
import { LabelsSection } from './LabelsSection'
import { MaskSection } from './MaskSection'
import { GroundTruthSection } from './GroundTruthSection'
import { PredictionsSection } from './PredictionsSection'
import { SaliencySection } from './SaliencySection'
import { ToolsSection } from './ToolsSection'

/** The side of the viewer: tools, paint class and mask display, image labels, predictions, saliency, the open panel. */
export function ViewerSidebar({
  v,
  project,
  image,
  setImage,
  maskClasses,
  updateProject,
  paint,
  maskOpacity,
  setMaskOpacity,
  predictions,
  saliency,
}: {
  v: ViewerCommands
  project: ProjectInfo
  image: ImageSummary
  setImage: (i: ImageSummary) => void
  maskClasses: MaskClassDef[]
  updateProject: (patch: Partial<ProjectInfo>) => void
  paint: PaintSession
  maskOpacity: number
  setMaskOpacity: (o: number) => void
  predictions: Predictions
  saliency: Saliency
}) {
  return (
    <aside className="viewer-side">
      <ToolsSection v={v} radius={paint.radius} setRadius={paint.setRadius} />
      <MaskSection
        v={v}
        maskClasses={maskClasses}
        setMaskClasses={(m) => updateProject({ maskClasses: m })}
        current={paint.paintClass}
        opacity={maskOpacity}
        setOpacity={setMaskOpacity}
      />
      <LabelsSection v={v} project={project} image={image} />
      <PredictionsSection
        v={v}
        predictions={predictions}
        image={image}
        locked={project.lockEvaluationMasks}
      />
      <GroundTruthSection
        project={project}
        image={image}
        setLocked={(lockEvaluationMasks) => updateProject({ lockEvaluationMasks })}
      />
      <SaliencySection s={saliency} />
      {v.panel === 'fraction' && <LabelFractionPanel />}
      {v.panel === 'export' && (
        <ExportPanel onImported={() => void client.call('image.get', { id: image.id }).then(setImage)} />
      )}
    </aside>
  )
}
