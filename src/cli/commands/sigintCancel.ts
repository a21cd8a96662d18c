/**
 * Ctrl-C as cancellation: `signal` aborts on the first SIGINT, so the job ends as cancelled and the
 * command still cleans up; `release()` removes the handler once the job is over.
 */
export function cancelOnSigint(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.once('SIGINT', onSigint)
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) }
}
