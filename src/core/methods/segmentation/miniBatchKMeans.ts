/**
 * PiCIE's mini-batch k-means over pixel features (rows of a Float32Array, dim values each).
 * The first `initBatches` batches are pooled and clustered with full k-means (faiss in PiCIE, Lloyd
 * here: random distinct points as seeds, `iterations` rounds). After that, every `updateBatches`
 * batches are assigned to the nearest centroid and each hit centroid moves toward the batch mean with
 * rate n_k / count_k, where count_k is the running number of points cluster k has received.
 */

export interface ClusterAssignment {
  labels: Int32Array
  /** Squared L2 distance of each point to its centroid. */
  distances: Float32Array
  counts: Float64Array
}

/** Nearest centroid (squared L2) for every row. */
export function assignClusters(
  features: Float32Array,
  dim: number,
  centroids: Float32Array,
): ClusterAssignment {
  if (features.length % dim !== 0)
    throw new Error(`Feature buffer of ${features.length} values is not a multiple of dim ${dim}`)
  if (centroids.length % dim !== 0 || centroids.length === 0)
    throw new Error(`Centroids must be K × ${dim} values`)
  const n = features.length / dim
  const k = centroids.length / dim
  const labels = new Int32Array(n)
  const distances = new Float32Array(n)
  const counts = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    let best = 0
    let bestD = Infinity
    for (let c = 0; c < k; c++) {
      let d = 0
      for (let j = 0; j < dim; j++) {
        const diff = features[i * dim + j] - centroids[c * dim + j]
        d += diff * diff
      }
      if (d < bestD) {
        bestD = d
        best = c
      }
    }
    labels[i] = best
    distances[i] = bestD
    counts[best]++
  }
  return { labels, distances, counts }
}

/** Full k-means (Lloyd). An empty cluster is re-seeded by splitting the largest one, as faiss does. */
export function kMeans(
  features: Float32Array,
  dim: number,
  k: number,
  iterations: number,
  random: () => number,
): Float32Array {
  const n = features.length / dim
  if (!Number.isInteger(n) || n < k) throw new Error(`k-means needs at least K = ${k} points, got ${n}`)
  const centroids = new Float32Array(k * dim)
  const picked = new Set<number>()
  while (picked.size < k) picked.add(Math.floor(random() * n))
  ;[...picked].forEach((p, c) => centroids.set(features.subarray(p * dim, (p + 1) * dim), c * dim))
  for (let it = 0; it < iterations; it++) {
    const { labels, counts } = assignClusters(features, dim, centroids)
    const sums = new Float64Array(k * dim)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < dim; j++) sums[labels[i] * dim + j] += features[i * dim + j]
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / counts[c]
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) continue
      const largest = counts.indexOf(Math.max(...counts))
      for (let j = 0; j < dim; j++) {
        const v = centroids[largest * dim + j]
        const eps = 1 / 1024
        centroids[c * dim + j] = v * (1 + (j % 2 ? eps : -eps))
        centroids[largest * dim + j] = v * (1 + (j % 2 ? -eps : eps))
      }
      counts[c] = counts[largest] / 2
      counts[largest] /= 2
    }
  }
  return centroids
}

export interface MiniBatchKMeansOptions {
  k: number
  dim: number
  /** Batches pooled for the initial full k-means (PiCIE num_init_batches). */
  initBatches: number
  /** Batches pooled per online update after that (PiCIE num_batches). */
  updateBatches: number
  /** Lloyd iterations of the initial k-means (PiCIE kmeans_n_iter). */
  iterations: number
  /**
   * At most this many points per centroid go into the initial k-means (faiss's max_points_per_centroid):
   * beyond K times as many pooled points, a uniform sample of that size is kept as batches arrive, so the
   * pool's memory no longer grows with initBatches × batch × pixels. Unset: every point, as PiCIE (which
   * sets faiss's limit to 10,000,000, above its pools). See picieDefaults.ts for the default we use.
   */
  maxPointsPerCluster?: number
  random: () => number
}

/**
 * The points of the initial k-means: every pooled point while they number at most `cap`, then a uniform
 * sample of `cap` of them without replacement (reservoir sampling, Vitter's algorithm R), drawn from the
 * run's random stream. Holds at most `cap` points plus the batch being added.
 */
class InitialPoints {
  private batches: Float32Array[] = []
  private sample: Float32Array | null = null
  /** Points offered so far. */
  seen = 0

  constructor(
    private readonly dim: number,
    private readonly cap: number,
    private readonly random: () => number,
  ) {}

  add(features: Float32Array): void {
    const { dim, cap } = this
    const n = features.length / dim
    if (!this.sample && this.seen + n <= cap) {
      this.batches.push(features)
      this.seen += n
      return
    }
    if (!this.sample) {
      this.sample = new Float32Array(cap * dim)
      this.sample.set(concatRows(this.batches))
      this.batches = []
    }
    for (let i = 0; i < n; i++, this.seen++) {
      const at = this.seen < cap ? this.seen : Math.floor(this.random() * (this.seen + 1))
      if (at < cap) this.sample.set(features.subarray(i * dim, (i + 1) * dim), at * dim)
    }
  }

  /** The points held (all of them, or the sample). */
  points(): Float32Array {
    return this.sample ?? concatRows(this.batches)
  }

  /** Points held. */
  get held(): number {
    return Math.min(this.seen, this.cap)
  }
}

/** Several batches' feature rows as one array (the batch itself when there is one). */
export function concatRows(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]
  const out = new Float32Array(parts.reduce((a, b) => a + b.length, 0))
  let at = 0
  for (const b of parts) {
    out.set(b, at)
    at += b.length
  }
  return out
}

export class MiniBatchKMeans {
  private initial: InitialPoints
  private pending: Float32Array[] = []
  private pendingBatches = 0
  private centroids: Float32Array | null = null
  private readonly dataCount: Float64Array
  private lossSum = 0
  private lossCount = 0

  constructor(private readonly options: MiniBatchKMeansOptions) {
    this.dataCount = new Float64Array(options.k)
    const perCluster = options.maxPointsPerCluster ?? Infinity
    if (!(perCluster >= 1)) throw new Error(`maxPointsPerCluster must be at least 1, got ${perCluster}`)
    this.initial = new InitialPoints(options.dim, options.k * perCluster, options.random)
  }

  /** Points the initial k-means holds now (at most K × maxPointsPerCluster). */
  get initialPointsHeld(): number {
    return this.initial.held
  }

  addBatch(features: Float32Array): void {
    if (features.length % this.options.dim !== 0) {
      throw new Error(`Batch of ${features.length} values is not a multiple of dim ${this.options.dim}`)
    }
    if (this.centroids) this.pending.push(features)
    else this.initial.add(features)
    this.pendingBatches++
    const due = this.centroids ? this.options.updateBatches : this.options.initBatches
    if (this.pendingBatches >= due) this.flush()
  }

  /**
   * The centroids after the epoch. PiCIE drops a trailing group smaller than updateBatches; so do we,
   * except when the epoch had fewer batches than initBatches, where PiCIE would have no centroids at all.
   */
  finish(): { centroids: Float32Array; loss: number } {
    if (!this.centroids) this.flush()
    if (!this.centroids) throw new Error('Mini-batch k-means saw no features')
    return { centroids: this.centroids, loss: this.lossCount ? this.lossSum / this.lossCount : NaN }
  }

  private flush(): void {
    if (this.pendingBatches === 0) return
    const { dim, k } = this.options
    this.pendingBatches = 0
    if (!this.centroids) {
      const points = this.initial.points()
      const seen = this.initial.seen
      this.initial = new InitialPoints(dim, 0, this.options.random)
      this.centroids = kMeans(points, dim, k, this.options.iterations, this.options.random)
      // PiCIE then assigns every pooled point and counts them; from a sample, its counts scaled up.
      const { distances, counts } = assignClusters(points, dim, this.centroids)
      this.recordLoss(distances)
      const scale = seen / (points.length / dim)
      for (let c = 0; c < k; c++) this.dataCount[c] += counts[c] * scale
      return
    }
    const pooled = concatRows(this.pending)
    this.pending = []
    const { labels, distances, counts } = assignClusters(pooled, dim, this.centroids)
    this.recordLoss(distances)
    const n = labels.length
    const sums = new Float64Array(k * dim)
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) sums[labels[i] * dim + j] += pooled[i * dim + j]
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue
      this.dataCount[c] += counts[c]
      const rate = counts[c] / (this.dataCount[c] + 1e-6)
      for (let j = 0; j < dim; j++) {
        const mean = sums[c * dim + j] / counts[c]
        this.centroids[c * dim + j] = (1 - rate) * this.centroids[c * dim + j] + rate * mean
      }
    }
  }

  private recordLoss(distances: Float32Array): void {
    let s = 0
    for (const d of distances) s += d
    this.lossSum += s / distances.length
    this.lossCount++
  }
}
