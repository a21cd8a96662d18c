import { GESTURES } from './actions/gestures'
import { shortcutSections } from './actions/registry'
import type { Action } from './actions/types'

/** Every keyboard shortcut, read from the actions registry, and the pointer gestures; `?` opens it. */
export function ShortcutsSheet({ actions, onClose }: { actions: readonly Action[]; onClose: () => void }) {
  return (
    <div className="viewer-help" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="viewer-help-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <div className="viewer-help-columns">
          {shortcutSections(actions).map((s) => (
            <table key={s.title}>
              <caption>{s.title}</caption>
              <tbody>
                {s.rows.map((r) => (
                  <tr key={r.name} data-action={r.name}>
                    <th scope="row">
                      <kbd>{r.keys}</kbd>
                    </th>
                    <td>{r.label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          <table>
            <caption>Mouse, trackpad and touch</caption>
            <tbody>
              {GESTURES.map((g) => (
                <tr key={g.input}>
                  <th scope="row">
                    <kbd>{g.input}</kbd>
                  </th>
                  <td>{g.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
