/**
 * Resolves in the page's next idle moment: after the current frame's work, when the browser has time before
 * the next one (requestIdleCallback), and within `timeout` ms even if it never has. A mask save started
 * mid-stroke waits for it, so encoding and sending the patch does not sit in the frame that shows the next
 * brush dab (bench:viewer's brush latency).
 */
export function betweenFrames(timeout = 200): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout })
    else setTimeout(resolve, 0)
  })
}
