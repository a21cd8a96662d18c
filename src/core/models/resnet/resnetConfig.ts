import { presetConfig } from '../presetConfig'

/** ResNet shapes in torchvision's layout (v1.5: the stride sits on the 3×3 conv of a bottleneck). */
export interface ResNetConfig {
  block: 'basic' | 'bottleneck'
  /** Residual blocks per stage (layer1..layer4). */
  layers: [number, number, number, number]
  /** `planes` of each stage; a stage outputs planes × expansion channels (1 basic, 4 bottleneck). */
  widths: [number, number, number, number]
  /** Channels out of the 7×7 stem conv (64 in torchvision). */
  stemWidth: number
  inChannels: number
  /** Classes of the `fc` head; null builds no head (the model is an encoder). */
  numClasses: number | null
}

const paperWidths: [number, number, number, number] = [64, 128, 256, 512]

export const resnetPresets = {
  resnet18: {
    block: 'basic',
    layers: [2, 2, 2, 2],
    widths: paperWidths,
    stemWidth: 64,
    inChannels: 3,
    numClasses: 1000,
  },
  resnet34: {
    block: 'basic',
    layers: [3, 4, 6, 3],
    widths: paperWidths,
    stemWidth: 64,
    inChannels: 3,
    numClasses: 1000,
  },
  resnet50: {
    block: 'bottleneck',
    layers: [3, 4, 6, 3],
    widths: paperWidths,
    stemWidth: 64,
    inChannels: 3,
    numClasses: 1000,
  },
  /** Small basic-block ResNet for tests and the `quick` preset (32–64 px inputs). */
  resnetTiny: {
    block: 'basic',
    layers: [1, 1, 1, 1],
    widths: [8, 16, 32, 64],
    stemWidth: 8,
    inChannels: 3,
    numClasses: 10,
  },
  /** Small bottleneck ResNet (ResNet-50's block type) for tests and the `quick` preset. */
  resnetTinyBottleneck: {
    block: 'bottleneck',
    layers: [1, 1, 1, 1],
    widths: [4, 8, 16, 32],
    stemWidth: 8,
    inChannels: 3,
    numClasses: 10,
  },
} satisfies Record<string, ResNetConfig>

export type ResNetPreset = keyof typeof resnetPresets

export function resnetExpansion(config: ResNetConfig): number {
  return config.block === 'bottleneck' ? 4 : 1
}

/** Channels of layer1..layer4 outputs. */
export function resnetStageChannels(config: ResNetConfig): [number, number, number, number] {
  const e = resnetExpansion(config)
  return config.widths.map((w) => w * e) as [number, number, number, number]
}

export function resnetConfig(preset: ResNetPreset, overrides: Partial<ResNetConfig> = {}): ResNetConfig {
  return presetConfig<ResNetConfig>(resnetPresets, preset, overrides, 'ResNet')
}
