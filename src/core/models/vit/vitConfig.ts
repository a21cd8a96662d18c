import { checkDropRates, checkNumClasses, checkPatchGrid, checkPositiveIntegers } from '../configChecks'
/** Shape of a Vision Transformer, in torchvision's terms (VisionTransformer constructor arguments). */
export interface VitConfig {
  imageSize: number
  patchSize: number
  numLayers: number
  numHeads: number
  hiddenDim: number
  mlpDim: number
  /** Classes of the `heads.head` linear; 0 builds no head (the model then ends at the embedding). */
  numClasses: number
  inChannels: number
  dropout: number
  /** timm/DINO-style stochastic depth, linearly increasing to this rate over the blocks; 0 in torchvision. */
  dropPathRate: number
  layerNormEps: number
}

const base = { inChannels: 3, dropout: 0, dropPathRate: 0, layerNormEps: 1e-6, numClasses: 1000 }

export const vitPresets = {
  /** torchvision vit_b_16: 86,567,656 parameters with the 1000-class head. */
  vitB16: {
    ...base,
    imageSize: 224,
    patchSize: 16,
    numLayers: 12,
    numHeads: 12,
    hiddenDim: 768,
    mlpDim: 3072,
  },
  /** The 384-px ViT-B/16 CASS fine-tunes (timm vit_base_patch16_384): 24×24 patches + class token. */
  vitB16At384: {
    ...base,
    imageSize: 384,
    patchSize: 16,
    numLayers: 12,
    numHeads: 12,
    hiddenDim: 768,
    mlpDim: 3072,
  },
  /** For tests and the quick preset: 32 px, 4×4 patches of 8 px, width 64, 2 layers. */
  vitTiny: {
    ...base,
    imageSize: 32,
    patchSize: 8,
    numLayers: 2,
    numHeads: 4,
    hiddenDim: 64,
    mlpDim: 128,
    numClasses: 10,
  },
} satisfies Record<string, VitConfig>

export type VitPreset = keyof typeof vitPresets

export function vitConfig(preset: VitPreset, overrides: Partial<VitConfig> = {}): VitConfig {
  const config = { ...vitPresets[preset], ...overrides }
  checkVitConfig(config)
  return config
}

export function checkVitConfig(c: VitConfig): void {
  const model = 'ViT config'
  checkPositiveIntegers(
    c,
    ['imageSize', 'patchSize', 'numLayers', 'numHeads', 'hiddenDim', 'mlpDim', 'inChannels'],
    model,
  )
  checkNumClasses(c, model)
  checkPatchGrid(c, model)
  if (c.hiddenDim % c.numHeads !== 0) {
    throw new Error(`${model}: hiddenDim ${c.hiddenDim} is not divisible by numHeads ${c.numHeads}`)
  }
  checkDropRates(c, ['dropout', 'dropPathRate'], model)
}
