import { checkDropRates, checkNumClasses, checkPositiveIntegers } from '../configChecks'
import { checkSwinStages } from './swinStages'

/** Shape of a Swin Transformer (v1), in torchvision's terms (SwinTransformer constructor arguments). */
export interface SwinConfig {
  /** The input size the preset is meant for; torchvision's Swin accepts other sizes (it pads windows). */
  imageSize: number
  patchSize: number
  embedDim: number
  depths: number[]
  numHeads: number[]
  windowSize: number
  mlpRatio: number
  /** Stochastic depth rate of the last block, rising linearly from 0 (torchvision swin_t: 0.2). */
  stochasticDepthProb: number
  dropout: number
  /** Classes of the `head` linear; 0 builds no head (the model then ends at the pooled embedding). */
  numClasses: number
  inChannels: number
  layerNormEps: number
}

const base = { mlpRatio: 4, dropout: 0, inChannels: 3, layerNormEps: 1e-5 }

export const swinPresets = {
  /** torchvision swin_t: 28,288,354 parameters with the 1000-class head. */
  swinT: {
    ...base,
    imageSize: 224,
    patchSize: 4,
    embedDim: 96,
    depths: [2, 2, 6, 2],
    numHeads: [3, 6, 12, 24],
    windowSize: 7,
    stochasticDepthProb: 0.2,
    numClasses: 1000,
  },
  /** For tests and the quick preset: 32 px, 2-px patches, width 12, three stages (16, 8, 4 cells), window 4. */
  swinTiny: {
    ...base,
    imageSize: 32,
    patchSize: 2,
    embedDim: 12,
    depths: [2, 2, 2],
    numHeads: [2, 4, 8],
    windowSize: 4,
    stochasticDepthProb: 0.1,
    numClasses: 10,
  },
} satisfies Record<string, SwinConfig>

export type SwinPreset = keyof typeof swinPresets

export function swinConfig(preset: SwinPreset, overrides: Partial<SwinConfig> = {}): SwinConfig {
  const config = { ...swinPresets[preset], ...overrides }
  checkSwinConfig(config)
  return config
}

export function checkSwinConfig(c: SwinConfig, model = 'Swin config'): void {
  checkPositiveIntegers(c, ['imageSize', 'patchSize', 'embedDim', 'windowSize', 'inChannels'], model)
  if (
    !Array.isArray(c.depths) ||
    c.depths.length === 0 ||
    !c.depths.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new Error(
      `${model}: depths must be a non-empty list of positive integers, got ${JSON.stringify(c.depths)}`,
    )
  }
  checkSwinStages(c, model)
  checkNumClasses(c, model)
  if (!(c.mlpRatio > 0)) throw new Error(`${model}: mlpRatio must be positive, got ${c.mlpRatio}`)
  checkDropRates(c, ['stochasticDepthProb', 'dropout'], model)
}
