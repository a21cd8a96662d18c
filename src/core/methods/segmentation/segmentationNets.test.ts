import { describe, expect, it } from 'vitest'
import type { NetSpec } from './segmentationNet'
import { picieFpnNet, swinUnetNet, unetNet } from './segmentationNets'

const spec = (preset: 'quick' | 'paper', backbone?: string): NetSpec => ({
  preset,
  size: 32,
  classes: 2,
  seed: 1,
  ...(backbone ? { backbone } : {}),
})

describe('which ImageNet weights each segmentation net asks its host for (buildNet fetches them)', () => {
  it('the paper preset: the U-Net a ResNet-34, the Swin-UNet a Swin-T, PiCIE its backbone', () => {
    expect(unetNet.imagenet?.(spec('paper'))).toBe('resnet34')
    expect(swinUnetNet.imagenet?.(spec('paper'))).toBe('swin_t')
    expect(picieFpnNet.imagenet?.(spec('paper'))).toBe('resnet34')
    expect(picieFpnNet.imagenet?.(spec('paper', 'resnet18'))).toBe('resnet18')
  })

  it('the quick preset and the small PiCIE backbone: none, they start random', () => {
    expect(unetNet.imagenet?.(spec('quick'))).toBeNull()
    expect(swinUnetNet.imagenet?.(spec('quick'))).toBeNull()
    expect(picieFpnNet.imagenet?.(spec('quick'))).toBeNull()
    expect(picieFpnNet.imagenet?.(spec('paper', 'tiny'))).toBeNull()
  })
})
