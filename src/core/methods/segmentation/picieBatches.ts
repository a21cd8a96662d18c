/**
 * PiCIE's batches of `n` images in the given order (default 0…n−1). A trailing single image joins the
 * previous batch: BatchNorm in training mode (k-means and training both run the net in train mode)
 * cannot normalise one image's 1×1 map.
 */
export function picieBatches(n: number, size: number, order?: number[]): number[][] {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`batch size must be ≥ 1, got ${size}`)
  const ids = order ?? Array.from({ length: n }, (_, i) => i)
  const out: number[][] = []
  for (let s = 0; s < n; s += size) out.push(ids.slice(s, s + size))
  if (out.length > 1 && out[out.length - 1].length === 1) out[out.length - 2].push(...out.pop()!)
  return out
}
