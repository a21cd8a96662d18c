import { describe, expect, it } from 'vitest'
import {
  lengthLabel,
  magnificationAt,
  magnificationLabel,
  magnificationSteps,
  scaleBar,
  zoomForMagnification,
} from './physicalScale'

describe('physical scale', () => {
  it('picks the longest 1-2-5 length that fits, in microns on screen', () => {
    // 0.25 µm/px at 100 %: 160 px span 40 µm → a 20 µm bar of 80 px.
    expect(scaleBar(0.25, 1)).toEqual({ microns: 20, px: 80, label: '20 µm' })
    // Zoomed out to 1/64: 160 px span 2,560 µm → a 2 mm bar.
    expect(scaleBar(0.25, 1 / 64)).toMatchObject({ microns: 2000, label: '2 mm' })
    expect(scaleBar(0.25, 1 / 64).px).toBeCloseTo(125)
    // Exactly a round length: 0.5 µm/px, 100 px budget at 100 % → 50 µm fits exactly.
    expect(scaleBar(0.5, 1, 100)).toMatchObject({ microns: 50, px: 100 })
    // Deep zoom on a fine scan: 0.1 µm/px at 800 % → 160 px span 2 µm.
    expect(scaleBar(0.1, 8)).toMatchObject({ microns: 2, label: '2 µm' })
    expect(lengthLabel(0.5)).toBe('500 nm')
    expect(() => scaleBar(0, 1)).toThrow()
  })

  it('says the zoom as an objective magnification and back', () => {
    expect(magnificationAt(40, 0.5)).toBe(20)
    expect(magnificationLabel(magnificationAt(40, 0.25))).toBe('10×')
    expect(magnificationLabel(magnificationAt(40, 1 / 32))).toBe('1.3×')
    expect(magnificationLabel(12.4)).toBe('12×')
    expect(zoomForMagnification(5, 40)).toBe(0.125)
    expect(magnificationAt(20, zoomForMagnification(10, 20))).toBe(10)
    expect(magnificationSteps(20)).toEqual([1.25, 2.5, 5, 10, 20, 40])
    expect(magnificationSteps(10)).toEqual([1.25, 2.5, 5, 10, 20])
  })
})
