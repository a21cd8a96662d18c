/**
 * Reads the items of `plan` in order with up to `depth` reads running ahead of the consumer, so decoding
 * the next batches (sharp decodes on libuv's threads) overlaps with training on the current one. Memory
 * stays bounded by `depth + 1` batches whatever the plan's length. Results come back in plan order; a
 * failed read surfaces when its turn comes. Stopping early (break, return, throw in the consumer) starts
 * no further reads.
 */
export async function* prefetched<T, R>(
  plan: Iterable<T>,
  read: (item: T) => Promise<R>,
  depth = 2,
): AsyncGenerator<R> {
  if (!(Number.isInteger(depth) && depth >= 0)) throw new Error(`prefetch depth must be ≥ 0, got ${depth}`)
  const items = plan[Symbol.iterator]()
  const queue: Promise<R>[] = []
  const start = (): boolean => {
    const next = items.next()
    if (next.done) return false
    const p = read(next.value)
    // Handled when its turn comes; this only keeps an abandoned read from being reported as unhandled.
    p.catch(() => undefined)
    queue.push(p)
    return true
  }
  for (;;) {
    if (queue.length === 0 && !start()) return
    const result = await queue.shift()!
    while (queue.length < depth && start()) {
      // started one more read ahead
    }
    yield result
  }
}
