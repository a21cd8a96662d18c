import type { ResNetConfig } from '../resnet/resnetConfig'
import { resnetConfig } from '../resnet/resnetConfig'
import { presetConfig } from '../presetConfig'

/** PiCIE's PanopticFPN (janghyuncho/PiCIE modules/fpn.py): ResNet backbone + 1×1 lateral convs. */
export interface PicieFpnConfig {
  backbone: ResNetConfig
  /** Channels of the per-pixel features (128 for ResNet-18 in PiCIE, 256 for ResNet-50). */
  outDim: number
}

export const picieFpnPresets = {
  /** The paper's PiCIE network: ResNet-18 (ImageNet-initialisable) FPN, 128-dim pixel features at 1/4 scale. */
  picieResnet18: { backbone: resnetConfig('resnet18', { numClasses: null }), outDim: 128 },
  /** The S4MI paper's PiCIE backbone (the fork's --arch resnet34 default): same widths, deeper stages. */
  picieResnet34: { backbone: resnetConfig('resnet34', { numClasses: null }), outDim: 128 },
  /** Small FPN for tests and the `quick` preset. */
  picieTiny: { backbone: resnetConfig('resnetTiny', { numClasses: null }), outDim: 16 },
} satisfies Record<string, PicieFpnConfig>

export type PicieFpnPreset = keyof typeof picieFpnPresets

export function picieFpnConfig(
  preset: PicieFpnPreset,
  overrides: Partial<PicieFpnConfig> = {},
): PicieFpnConfig {
  return presetConfig<PicieFpnConfig>(picieFpnPresets, preset, overrides, 'PiCIE FPN')
}
