import { saliencyHeatLayer } from '../methods/classification/saliencyOverlay'
import { listRuns } from '../store/runs'
import { listClasses } from '../store/classes'
import { runSaliency } from '../train/runSaliency'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** Saliency maps of finished classification runs, for the viewer's overlay. */
export function saliencyHandlers(session: Session): HandlerGroup<'viewer.saliencyRuns' | 'viewer.saliency'> {
  return {
    'viewer.saliencyRuns': async () =>
      listRuns(session.requireProject())
        .filter((r) => r.task === 'classification' && r.status === 'succeeded' && r.checkpointBlob)
        .map((r) => ({ runId: r.id, method: r.method, labelFraction: r.labelFraction, seed: r.seed }))
        .reverse(),
    'viewer.saliency': async ({ imageId, runId, className, network }) => {
      const project = session.requireProject()
      const s = await runSaliency(project, { runId, imageId, className, network })
      return {
        runId,
        width: s.width,
        height: s.height,
        layer: Buffer.from(saliencyHeatLayer(s.map)).toString('base64'),
        className: s.className,
        probability: s.probability,
        classNames: listClasses(project).map((c) => c.name),
      }
    },
  }
}
