import { SHORTCUTS } from './shortcuts'

/** The keyboard shortcuts, over the viewer (? toggles it). */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="viewer-help" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="viewer-help-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
