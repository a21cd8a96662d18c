import type { MaskRevision } from '../../../shared/types'
import { Modal } from '../ui/Modal'

/** Asked before an undo would go past the imported or first-saved mask, saying what would be lost. */
export function UndoPastFirstDialog({
  head,
  onUndo,
  onClose,
}: {
  head: MaskRevision
  onUndo: () => void
  onClose: () => void
}) {
  const imported = head.kind === 'import'
  return (
    <Modal title="Undo past the first mask?" onClose={onClose}>
      <div data-testid="undo-past-first">
        <p>
          {imported
            ? `This undo removes the imported mask (${new Date(head.createdAt).toLocaleString()}), going back to what the image had before the import.`
            : `This undo removes the first saved mask (${new Date(head.createdAt).toLocaleString()}): the image will have no mask.`}{' '}
          Redo brings it back.
        </p>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Keep the mask
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              onUndo()
              onClose()
            }}
          >
            Undo anyway
          </button>
        </div>
      </div>
    </Modal>
  )
}
