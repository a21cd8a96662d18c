import { ActionButton, actionTitle } from '../ActionButton'
import { chooseTool, largerBrush, smallerBrush } from '../actions/toolActions'
import type { ViewerCommands } from '../actions/types'

/** The paint tools (one button per tool action) and the brush size. */
export function ToolsSection({
  v,
  radius,
  setRadius,
}: {
  v: ViewerCommands
  radius: number
  setRadius: (r: number) => void
}) {
  return (
    <section aria-label="Tools">
      <h2>Tools</h2>
      <div className="tool-row">
        {chooseTool.map((a) => (
          <ActionButton key={a.name} action={a} v={v} />
        ))}
      </div>
      <label title={`${actionTitle(smallerBrush)} · ${actionTitle(largerBrush)}`}>
        Brush {radius * 2} px{' '}
        <input
          type="range"
          min={1}
          max={256}
          value={radius}
          aria-label="Brush size"
          onChange={(e) => setRadius(Number(e.target.value))}
        />
      </label>
    </section>
  )
}
