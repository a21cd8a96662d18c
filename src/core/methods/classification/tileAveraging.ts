/**
 * Tiled slides are classified tile by tile, each tile carrying its image's labels; the image's scores are
 * the mean of its tiles' class probabilities. Samples of one image need not be adjacent; images keep the
 * order of their first sample. Targets are taken from an image's first sample (all its tiles share them).
 */
export interface ImageLevelScores {
  imageIds: number[]
  /** images × classes */
  probabilities: Float32Array
  /** images × classes, when targets were given. */
  targets: Float32Array | null
}

export function averageOverTiles(
  sampleIds: readonly number[],
  probabilities: Float32Array,
  classes: number,
  targets: Float32Array | null = null,
): ImageLevelScores {
  if (probabilities.length !== sampleIds.length * classes)
    throw new Error(
      `${probabilities.length} probabilities for ${sampleIds.length} samples × ${classes} classes`,
    )
  const slot = new Map<number, number>()
  const imageIds: number[] = []
  for (const id of sampleIds) {
    if (!slot.has(id)) {
      slot.set(id, imageIds.length)
      imageIds.push(id)
    }
  }
  const sums = new Float64Array(imageIds.length * classes)
  const counts = new Array<number>(imageIds.length).fill(0)
  const imageTargets = targets ? new Float32Array(imageIds.length * classes) : null
  sampleIds.forEach((id, i) => {
    const k = slot.get(id)!
    if (imageTargets && counts[k] === 0)
      imageTargets.set(targets!.subarray(i * classes, (i + 1) * classes), k * classes)
    counts[k]++
    for (let c = 0; c < classes; c++) sums[k * classes + c] += probabilities[i * classes + c]
  })
  const out = new Float32Array(sums.length)
  for (let k = 0; k < imageIds.length; k++)
    for (let c = 0; c < classes; c++) out[k * classes + c] = sums[k * classes + c] / counts[k]
  return { imageIds, probabilities: out, targets: imageTargets }
}
