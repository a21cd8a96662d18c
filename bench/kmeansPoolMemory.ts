// PiCIE's initial k-means pool at paper scale, alone: the one part of PiCIE's memory that grows with the
// training pool (bench:train's PiCIE case clusters a pool of one batch). Feeds MiniBatchKMeans the paper
// preset's initBatches batches of clusterBatchSize images' features at 480 px (120² cells of 128 values each,
// PiCIE's FPN) and prints the process's peak RSS as JSON. Run as a child of segmentationMemory.ts:
//   node --import tsx bench/kmeansPoolMemory.ts <maxPointsPerCluster>   (0: every point, as PiCIE)
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { MiniBatchKMeans } from '../src/core/methods/segmentation/miniBatchKMeans'
import { picieDefaults } from '../src/core/methods/segmentation/picieDefaults'

const p = picieDefaults('paper')
const side = Number(p.imageSize) / 4
const dim = 128
const k = Number(p.k)
const batches = Number(p.initBatches)
const rows = Number(p.clusterBatchSize) * side * side
const perCluster = Number(process.argv[2] ?? p.kmeansPointsPerCluster)

const random = createSeededRandom(0)
// One batch of features, two loose clusters, copied afresh for every batch as eachFeatureBatch hands them over.
const features = new Float32Array(rows * dim)
for (let i = 0; i < rows; i++) {
  const centre = i % 2 ? 1 : -1
  for (let j = 0; j < dim; j++) features[i * dim + j] = centre + (((i * 131 + j * 7) % 97) / 97 - 0.5)
}
const started = Date.now()
const km = new MiniBatchKMeans({
  k,
  dim,
  initBatches: batches,
  updateBatches: Number(p.updateBatches),
  iterations: Number(p.kmeansIterations),
  maxPointsPerCluster: perCluster || undefined,
  random: () => random.next(),
})
let held = 0
for (let b = 0; b < batches; b++) {
  km.addBatch(features.slice())
  held = Math.max(held, km.initialPointsHeld)
}
km.finish()
console.log(
  JSON.stringify({
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    seconds: (Date.now() - started) / 1000,
    points: batches * rows,
    held,
    featureMiB: (batches * rows * dim * 4) / 2 ** 20,
  }),
)
