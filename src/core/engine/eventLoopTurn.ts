/**
 * Lets the event loop run once between training steps, so a cancel, a progress message or a checkpoint
 * write gets through a long run. Node's setImmediate where there is one (the worker); a browser page (a
 * trainer in a sandboxed renderer) has none, and a zero timeout does the same there.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)))
}
