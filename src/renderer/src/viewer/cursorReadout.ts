/**
 * The status bar's cursor position, written at most once per frame: in the next animation frame, into the
 * text node already there. Setting textContent on every pointer move replaced the node (a style recalculation
 * of a new node, and a layout that the stage's own pointer handler then forced in the middle of the event,
 * seen in a Chromium trace of bench:viewer's strokes).
 */
export function cursorReadout(target: () => HTMLElement | null): (text: string) => void {
  let pending: string | null = null
  let frame = 0
  const write = () => {
    frame = 0
    const el = target()
    const text = pending
    pending = null
    if (!el || text === null) return
    const node = el.firstChild
    if (node instanceof Text && node === el.lastChild) {
      if (node.data !== text) node.data = text
    } else el.textContent = text
  }
  return (text) => {
    pending = text
    if (!frame) frame = requestAnimationFrame(write)
  }
}
