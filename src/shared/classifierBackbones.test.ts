import { describe, expect, it } from 'vitest'
import { backboneOverrides, CASS_BACKBONE_PAIRS, cassBackboneOverrides } from './classifierBackbones'

describe('classification backbone choices', () => {
  it('offers CASS every CNN with every Transformer, the paper pair first', () => {
    expect(CASS_BACKBONE_PAIRS).toEqual([
      'resnet50+vit_b16',
      'resnet50+vit_tiny',
      'resnet_tiny+vit_b16',
      'resnet_tiny+vit_tiny',
    ])
  })

  it('a single backbone sets it and its input side; a pair sets both CASS networks at the larger side', () => {
    expect(backboneOverrides('vit_b16')).toEqual({ backbone: 'vit_b16', imageSize: 224 })
    expect(cassBackboneOverrides('resnet50+vit_b16')).toEqual({
      cnnBackbone: 'resnet50',
      vitBackbone: 'vit_b16',
      imageSize: 224,
    })
    expect(cassBackboneOverrides('resnet_tiny+vit_tiny').imageSize).toBe(32)
    expect(cassBackboneOverrides('resnet_tiny+vit_b16').imageSize).toBe(224)
  })

  it('says which kind of choice each method takes', () => {
    expect(() => backboneOverrides('resnet50+vit_b16')).toThrow(/a CNN \+ Transformer pair is for CASS/)
    expect(() => cassBackboneOverrides('resnet50')).toThrow(/CASS trains a CNN and a Transformer together/)
    expect(() => cassBackboneOverrides('vit_b16+resnet50')).toThrow(/one of resnet50\+vit_b16/)
  })
})
