import { useState } from 'react'
import type { ImageSummary, MaskRevision, ProjectInfo } from '../../../shared/types'
import type { MaskSession } from '../annotation/useMaskSession'
import type { SidePanel, ViewerCommands } from './actions/types'
import type { PaintSession } from './usePaintSession'
import type { Predictions } from './usePredictions'
import type { Viewport } from './useViewport'

/**
 * What every key, menu item and button of the viewer does (actions/registry.ts runs these), built each
 * render from the viewer's parts, with the small states they toggle: the mask shown, the shortcuts sheet,
 * the side panel, and the confirmation before undoing past the first mask (`undoPastFirst`).
 */
export function useViewerCommands(parts: {
  viewport: Viewport
  paint: PaintSession
  session: MaskSession
  predictions: Predictions
  project: ProjectInfo
  image: ImageSummary
  paintClassCount: number
  labels: { toggle(classId: number): void; clear(): void }
  onClose(): void
  onNext?(): void
  onPrev?(): void
}) {
  const { viewport, paint, session, predictions, project, image, labels, onNext, onPrev } = parts
  const [maskVisible, setMaskVisible] = useState(true)
  const [help, setHelp] = useState(false)
  const [panel, setPanel] = useState<SidePanel | null>(null)
  const [undoPastFirst, setUndoPastFirst] = useState<MaskRevision | null>(null)
  const { toolbox } = paint
  const v: ViewerCommands = {
    fit: viewport.fit,
    actualSize: viewport.actualSize,
    zoomBy: viewport.zoomBy,
    look: viewport.look,
    tool: paint.tool,
    selectTool: paint.selectTool,
    get shapeInProgress() {
      return toolbox.busy
    },
    finishShape: () => {
      if (toolbox.complete()) paint.showPreview(null)
    },
    cancelShape: () => {
      if (toolbox.cancel()) paint.showPreview(null)
    },
    resizeBrush: paint.resizeBrush,
    paintWith: paint.paintWith,
    paintClassCount: parts.paintClassCount,
    canUndo: !!session.state && session.state.undo > 0,
    canRedo: !!session.state && session.state.redo > 0,
    // Undo never goes past the imported or first-saved mask without saying so.
    undo: () => {
      const head = session.state?.head
      if (head && (head.kind === 'import' || head.parentId === null)) setUndoPastFirst(head)
      else void session.undo()
    },
    redo: () => void session.redo(),
    toggleLabel: (place) => {
      const c = project.classes[place - 1]
      if (c) labels.toggle(c.id)
    },
    clearLabels: labels.clear,
    labelled: image.labelled,
    maskVisible,
    toggleMask: () => setMaskVisible((m) => !m),
    predictionVisible: predictions.visible,
    togglePrediction: () => predictions.setVisible((m) => !m),
    close: parts.onClose,
    // Leaving the image: its pending saves go now.
    next:
      onNext &&
      (() => {
        void session.autosave.flush()
        onNext()
      }),
    previous:
      onPrev &&
      (() => {
        void session.autosave.flush()
        onPrev()
      }),
    help,
    toggleHelp: () => setHelp((h) => !h),
    panel,
    togglePanel: (p) => setPanel((cur) => (cur === p ? null : p)),
    closePanel: () => setPanel(null),
  }
  return {
    v,
    undoPastFirst,
    closeUndoPastFirst: () => setUndoPastFirst(null),
    closeHelp: () => setHelp(false),
  }
}
