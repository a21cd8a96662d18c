/** The stage shape every Swin model shares: widths doubling per stage, each split evenly over its heads. */
interface SwinStages {
  embedDim: number
  depths: number[]
  numHeads: number[]
}

/** Checks numHeads: one entry per stage, each dividing its stage's width (depths are checked before). */
export function checkSwinStages(c: SwinStages, model: string): void {
  if (!Array.isArray(c.numHeads) || c.numHeads.length !== c.depths.length) {
    throw new Error(
      `${model}: numHeads needs one entry per stage (${c.depths.length}), got ${JSON.stringify(c.numHeads)}`,
    )
  }
  c.numHeads.forEach((heads, i) => {
    const dim = c.embedDim * 2 ** i
    if (!Number.isInteger(heads) || heads <= 0 || dim % heads !== 0) {
      throw new Error(`${model}: stage ${i} width ${dim} is not divisible by numHeads[${i}] = ${heads}`)
    }
  })
}
