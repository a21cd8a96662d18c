import type { ToolName } from '../../annotation/tools/toolMachine'
import { ActionButton, actionTitle } from '../ActionButton'
import { formatKeys } from '../actions/keys'
import { chooseTool, largerBrush, smallerBrush } from '../actions/toolActions'
import type { ViewerCommands } from '../actions/types'
import { ToolIcon } from '../ToolIcon'

/** The paint tools (one button per tool action: icon, name, key; the tooltip says how to use it) and the brush size. */
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
          <ActionButton key={a.name} action={a} v={v}>
            <ToolIcon tool={a.name.replace('tool.', '') as ToolName} />
            <span>{a.text}</span>
            <kbd>{formatKeys(a.keys!)}</kbd>
          </ActionButton>
        ))}
      </div>
      <label className="slider-row" title={`${actionTitle(smallerBrush)} · ${actionTitle(largerBrush)}`}>
        <span>Brush size</span>
        <input
          type="range"
          min={1}
          max={256}
          value={radius}
          aria-label="Brush size"
          onChange={(e) => setRadius(Number(e.target.value))}
        />
        <output>{radius * 2} px</output>
      </label>
    </section>
  )
}
