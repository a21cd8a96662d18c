/** Every sample once, in order, in batches of `batchSize` (the last one shorter): for scoring and prediction. */
export function inOrder(count: number, batchSize: number): number[][] {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new Error(`batchSize must be ≥ 1, got ${batchSize}`)
  const out: number[][] = []
  for (let s = 0; s < count; s += batchSize)
    out.push(Array.from({ length: Math.min(batchSize, count - s) }, (_, k) => s + k))
  return out
}
