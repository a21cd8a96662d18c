import { describe, expect, it } from 'vitest'
import { evaluationMetricsOf } from '../../../shared/evaluationMetrics'
import { metricLabel } from './metricLabel'

describe('metricLabel', () => {
  it('names evaluation metrics exactly and loss terms readably', () => {
    expect(metricLabel('testIou')).toBe('test IoU (dataset-level)')
    expect(metricLabel('valDice')).toBe('val Dice (dataset-level)')
    expect(metricLabel('testIouPerImage')).toBe('test IoU (per-image mean)')
    expect(metricLabel('testMeanIouTwoClass')).toBe('test mIoU (background and foreground)')
    expect(metricLabel('swinTestIou')).toBe('Swin-UNet test IoU (dataset-level)')
    expect(metricLabel('testF1Macro')).toBe('test F1 (macro)')
    expect(metricLabel('testF1Weighted')).toBe('test F1 (weighted)')
    expect(metricLabel('testRecallMacro')).toBe('test recall (macro)')
    expect(metricLabel('pseudoCnn')).toBe('pseudo-label loss (U-Net)')
    expect(metricLabel('val_loss')).toBe('val loss')
    expect(metricLabel('iou')).toBe('IoU')
  })
  it('names the mask class of a per-class score, and says the headline is a mean when there are several', () => {
    expect(metricLabel('testIou:tumour')).toBe('test IoU of tumour (dataset-level)')
    expect(metricLabel('swinTestDice:necrotic area')).toBe(
      'Swin-UNet test Dice of necrotic area (dataset-level)',
    )
    expect(metricLabel('testIou', true)).toBe('test IoU (dataset-level, mean over mask classes)')
    expect(metricLabel('testIouPerImage', true)).toBe('test IoU (per-image mean)')
    expect(metricLabel('testMeanIouWithBackground')).toBe('test mIoU (background and every mask class)')
  })
})

describe('the metric menu', () => {
  it('offers evaluation metrics only, the headline first, never a training loss', () => {
    const stored = [
      'kmeansLoss',
      'valIou',
      'testDice',
      'testIou',
      'bestEpoch',
      'swinTestIou',
      'testIouPerImage',
    ]
    expect(evaluationMetricsOf(stored, 'segmentation')).toEqual([
      'testIou',
      'testDice',
      'testIouPerImage',
      'swinTestIou',
      'valIou',
    ])
    const classification = ['testF1Macro', 'testF1.melanoma', 'testConfusion.a→b', 'testRecallMacro', 'loss']
    expect(evaluationMetricsOf(classification, 'classification')).toEqual(['testF1Macro', 'testRecallMacro'])
    expect(evaluationMetricsOf(stored, 'classification')).toEqual([])
  })
})
