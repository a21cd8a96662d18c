import { checkDropRates, checkPatchGrid, checkPositiveIntegers } from '../configChecks'
import { checkSwinStages } from '../swin/swinStages'

/**
 * Shape of a Swin-UNet (Cao et al., as SSL4MIS's cross teaching uses it): a Swin encoder, a symmetric
 * decoder of patch-expanding stages with skip concatenation, and ×patch final expansion to per-pixel logits.
 */
export interface SwinUnetConfig {
  imageSize: number
  patchSize: number
  inChannels: number
  numClasses: number
  embedDim: number
  /** Blocks per encoder stage; the decoder mirrors them. */
  depths: number[]
  numHeads: number[]
  windowSize: number
  mlpRatio: number
  /** Stochastic depth of the deepest block, rising linearly from 0 (SSL4MIS cross teaching: 0.2). */
  dropPathRate: number
  dropout: number
  layerNormEps: number
}

const base = { inChannels: 3, mlpRatio: 4, dropout: 0, layerNormEps: 1e-5 }

export const swinUnetPresets = {
  /** The cross-teaching paper's Swin-UNet: Swin-T widths, depths 2-2-2-2, window 7, 224 px. */
  swinUnetT: {
    ...base,
    imageSize: 224,
    patchSize: 4,
    numClasses: 2,
    embedDim: 96,
    depths: [2, 2, 2, 2],
    numHeads: [3, 6, 12, 24],
    windowSize: 7,
    dropPathRate: 0.2,
  },
  /** For tests and the quick preset: 32 px, width 12, three stages (8, 4, 2 cells), window 2. */
  swinUnetTiny: {
    ...base,
    imageSize: 32,
    patchSize: 4,
    numClasses: 2,
    embedDim: 12,
    depths: [2, 2, 2],
    numHeads: [1, 2, 4],
    windowSize: 2,
    dropPathRate: 0.1,
  },
  /** A 64-px quick preset: four stages (16, 8, 4, 2 cells), window 2. */
  swinUnetSmall: {
    ...base,
    imageSize: 64,
    patchSize: 4,
    numClasses: 2,
    embedDim: 16,
    depths: [2, 2, 2, 2],
    numHeads: [1, 2, 4, 8],
    windowSize: 2,
    dropPathRate: 0.1,
  },
} satisfies Record<string, SwinUnetConfig>

export type SwinUnetPreset = keyof typeof swinUnetPresets

export function swinUnetConfig(
  preset: SwinUnetPreset,
  overrides: Partial<SwinUnetConfig> = {},
): SwinUnetConfig {
  const config = { ...swinUnetPresets[preset], ...overrides }
  checkSwinUnetConfig(config)
  return config
}

export function checkSwinUnetConfig(c: SwinUnetConfig): void {
  const model = 'Swin-UNet config'
  checkPositiveIntegers(
    c,
    ['imageSize', 'patchSize', 'inChannels', 'numClasses', 'embedDim', 'windowSize'],
    model,
  )
  if (
    !Array.isArray(c.depths) ||
    c.depths.length < 2 ||
    !c.depths.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new Error(
      `${model}: depths must list at least two positive integers, got ${JSON.stringify(c.depths)}`,
    )
  }
  checkSwinStages(c, model)
  checkPatchGrid(c, model)
  // Every stage grid a whole number of windows: then torchvision's padded windows and the Swin-UNet
  // reference's clamped windows are the same computation, and skips line up with the decoder.
  const grid = c.imageSize / c.patchSize
  c.depths.forEach((_, i) => {
    const side = grid / 2 ** i
    if (!Number.isInteger(side) || side % c.windowSize !== 0) {
      throw new Error(
        `${model}: stage ${i} grid ${side} (imageSize ${c.imageSize} / patchSize ${c.patchSize} / 2^${i}) must be a multiple of windowSize ${c.windowSize}`,
      )
    }
  })
  if (!(c.mlpRatio > 0)) throw new Error(`${model}: mlpRatio must be positive, got ${c.mlpRatio}`)
  checkDropRates(c, ['dropPathRate', 'dropout'], model)
}
