// The field checks the transformer configs (ViT, Swin, Swin-UNet) share. Each message names the model
// ("ViT config") and the field, and quotes the value it got.

export function checkPositiveIntegers<K extends string>(
  c: Record<K, number>,
  keys: readonly K[],
  model: string,
): void {
  for (const key of keys) {
    if (!Number.isInteger(c[key]) || c[key] <= 0)
      throw new Error(`${model}: ${key} must be a positive integer, got ${c[key]}`)
  }
}

/** Classes of the head: 0 builds none. */
export function checkNumClasses(c: { numClasses: number }, model: string): void {
  if (!Number.isInteger(c.numClasses) || c.numClasses < 0) {
    throw new Error(`${model}: numClasses must be a non-negative integer, got ${c.numClasses}`)
  }
}

/** The image is a whole number of patches. */
export function checkPatchGrid(c: { imageSize: number; patchSize: number }, model: string): void {
  if (c.imageSize % c.patchSize !== 0) {
    throw new Error(`${model}: imageSize ${c.imageSize} is not divisible by patchSize ${c.patchSize}`)
  }
}

/** Dropout and stochastic-depth rates: each in [0, 1). */
export function checkDropRates<K extends string>(
  c: Record<K, number>,
  keys: readonly K[],
  model: string,
): void {
  for (const key of keys) {
    if (!(c[key] >= 0 && c[key] < 1)) throw new Error(`${model}: ${key} must be in [0, 1), got ${c[key]}`)
  }
}
