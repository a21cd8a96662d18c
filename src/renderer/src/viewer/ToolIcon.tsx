import type { ToolName } from '../annotation/tools/toolMachine'

/** 16 × 16 line drawings of the tools, in the button's text colour. */
const PATHS: Record<ToolName, string> = {
  // An open hand: fingers up, palm below.
  pan: 'M5 8V3.5a1 1 0 0 1 2 0V7M7 7V2.5a1 1 0 0 1 2 0V7M9 7V3.5a1 1 0 0 1 2 0V8M11 8V5.5a1 1 0 0 1 2 0V10c0 3-2 5-5 5s-4.5-1.5-5.5-3.5L1.6 9.3a1 1 0 0 1 1.7-1L5 10V8',
  // A round brush on a handle.
  brush: 'M13.5 1.5l-6 6M7.5 7.5c-2-1-4.5 0-4.5 3 0 1.5-1 2.5-1.5 3 3.5.5 6-1 6.5-3.5z',
  // An eraser block at an angle.
  eraser: 'M2 11l6-6 5 5-4 4H5zM6 15h8M5.5 7.5l5 5',
  // A paint bucket with a drop.
  fill: 'M3 7l5-5 5 5-5 5zM3 7h10M14 10c0 1.5-1 2.5-1 3.2a1 1 0 0 0 2 0c0-.7-1-1.7-1-3.2z',
  // A polygon with its vertices.
  polygon: 'M3 12L2 5l6-3 6 4-2 7zM2 5h0M8 2h0M14 6h0M12 13h0M3 12h0',
  // A lasso loop with its tail.
  lasso: 'M8 3c3.5 0 6 1.3 6 3s-2.5 3-6 3-6-1.3-6-3 2.5-3 6-3zM4 8.5c-.5 1.5.5 2.5 1.5 2.5S7 12 6 14',
}

export function ToolIcon({ tool }: { tool: ToolName }) {
  return (
    <svg
      className="tool-icon"
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[tool]} />
    </svg>
  )
}
