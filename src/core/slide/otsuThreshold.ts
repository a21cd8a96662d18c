/**
 * Otsu's threshold of 8-bit values, computed as scikit-image's `threshold_otsu` does for integer images
 * (a bin per integer value from the smallest to the largest present; the first of equal maxima of the
 * between-class variance), so that values above the threshold are the upper class. The same sums in the
 * same order as numpy's, so the reference test compares exactly (otsuThreshold.test.ts, otsu.json).
 */
export function otsuThreshold(histogram: ArrayLike<number>): number {
  let lo = 0
  while (lo < histogram.length && histogram[lo] === 0) lo++
  let hi = histogram.length - 1
  while (hi > lo && histogram[hi] === 0) hi--
  if (lo >= histogram.length) throw new Error('Otsu threshold of no values')
  if (lo === hi) return lo // one value: skimage returns it
  const n = hi - lo + 1
  const w1 = new Float64Array(n)
  const m1 = new Float64Array(n)
  const w2 = new Float64Array(n)
  const m2 = new Float64Array(n)
  let count = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    count += histogram[lo + i]
    sum += histogram[lo + i] * (lo + i)
    w1[i] = count
    m1[i] = sum / count
  }
  count = 0
  sum = 0
  for (let i = n - 1; i >= 0; i--) {
    count += histogram[lo + i]
    sum += histogram[lo + i] * (lo + i)
    w2[i] = count
    m2[i] = sum / count
  }
  let best = 0
  let bestVariance = -Infinity
  for (let i = 0; i + 1 < n; i++) {
    const v = w1[i] * w2[i + 1] * (m1[i] - m2[i + 1]) ** 2
    if (v > bestVariance) [best, bestVariance] = [i, v]
  }
  return lo + best
}
