import { hungarianMatching } from './hungarianMatching'

/**
 * Unsupervised clusters carry no class names: like PiCIE's evaluation, pair each cluster with the
 * class it overlaps most, one-to-one, by Hungarian matching on the cluster × class pixel histogram
 * (computed on the validation split, then applied unchanged to the test split).
 */

/** histogram[k][c] = pixels assigned to cluster k whose true class is c. */
export function clusterClassHistogram(
  clusters: ArrayLike<number>[],
  truths: ArrayLike<number>[],
  clusterCount: number,
  classCount: number,
): number[][] {
  if (clusters.length !== truths.length)
    throw new Error(`${clusters.length} cluster maps for ${truths.length} masks`)
  const h = Array.from({ length: clusterCount }, () => new Array<number>(classCount).fill(0))
  clusters.forEach((map, i) => {
    const truth = truths[i]
    if (map.length !== truth.length)
      throw new Error(`Cluster map ${i} has ${map.length} pixels, its mask ${truth.length}`)
    for (let p = 0; p < map.length; p++) {
      const k = map[p]
      const c = truth[p]
      if (k < 0 || k >= clusterCount)
        throw new Error(`Cluster index ${k} out of range 0..${clusterCount - 1}`)
      if (c < 0 || c >= classCount) throw new Error(`Class index ${c} out of range 0..${classCount - 1}`)
      h[k][c]++
    }
  })
  return h
}

/**
 * Returns cluster → class. Clusters left unmatched (more clusters than classes) go to the class
 * they overlap most, so every pixel still gets a class.
 */
export function mapClustersToClasses(histogram: number[][]): number[] {
  if (histogram.length === 0) return []
  const max = Math.max(...histogram.flat())
  const matched = hungarianMatching(histogram.map((row) => row.map((v) => max - v)))
  return matched.map((c, k) => (c >= 0 ? c : histogram[k].indexOf(Math.max(...histogram[k]))))
}

export function applyClusterMapping(clusters: ArrayLike<number>, mapping: number[]): Uint8Array {
  const out = new Uint8Array(clusters.length)
  for (let i = 0; i < clusters.length; i++) out[i] = mapping[clusters[i]]
  return out
}
