import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../engine/seededRandom'
import {
  LUCIDRAINS_MULTI_CROP,
  OFFICIAL_MULTI_CROP,
  multiCrop,
  randomResizedCropBox,
  scaledMultiCrop,
} from './multiCrop'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const images = () => tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D

describe('multiCrop', () => {
  it('official: 2 global crops for the teacher, 2 global + n local for the student, views 0…n+1', () => {
    const settings = { ...scaledMultiCrop(OFFICIAL_MULTI_CROP, 32, 8), localCrops: 4 }
    expect([settings.globalSize, settings.localSize]).toEqual([32, 16])
    const v = multiCrop(images(), settings, createSeededRandom(1))
    expect(v.teacher.shape).toEqual([6, 32, 32, 3])
    expect(v.student.map((s) => s.shape)).toEqual([
      [6, 32, 32, 3],
      [12, 16, 16, 3],
    ])
    expect(v.studentViews).toEqual([0, 1, 2, 3, 4, 5])
    // The student's global crops are the teacher's, pixel for pixel.
    expect(Array.from(v.student[0].dataSync())).toEqual(Array.from(v.teacher.dataSync()))
  })

  it('lucidrains: the teacher gets a global crop and the student a local crop of each augmented copy', () => {
    const settings = scaledMultiCrop(LUCIDRAINS_MULTI_CROP, 32, 8)
    const v = multiCrop(images(), settings, createSeededRandom(2))
    expect(v.teacher.shape).toEqual([6, 32, 32, 3])
    expect(v.student.map((s) => s.shape)).toEqual([[6, 32, 32, 3]])
    expect(v.studentViews).toEqual([0, 1])
  })

  it('repeats with the same seed and differs with another', () => {
    const settings = scaledMultiCrop(OFFICIAL_MULTI_CROP, 32, 8)
    const a = multiCrop(images(), settings, createSeededRandom(3)).student[1].dataSync()
    const b = multiCrop(images(), settings, createSeededRandom(3)).student[1].dataSync()
    const c = multiCrop(images(), settings, createSeededRandom(4)).student[1].dataSync()
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a)).not.toEqual(Array.from(c))
  })

  it('normalises with the ImageNet mean and std, and crops the real image (no padding)', () => {
    const flat = tf.fill([2, 16, 16, 3], 0.5) as tf.Tensor4D
    const plain = {
      ...scaledMultiCrop(OFFICIAL_MULTI_CROP, 16),
      jitter: { ...OFFICIAL_MULTI_CROP.jitter, p: 0 },
      grayscaleP: 0,
      blurP: [0, 0, 0] as [number, number, number],
      solarizeP: 0,
    }
    const v = multiCrop(flat, plain, createSeededRandom(5))
    const px = v.teacher.dataSync()
    expect(px[0]).toBeCloseTo((0.5 - 0.485) / 0.229, 5)
    expect(px[1]).toBeCloseTo((0.5 - 0.456) / 0.224, 5)
    expect(px[2]).toBeCloseTo((0.5 - 0.406) / 0.225, 5)
  })

  it("RandomResizedCrop's boxes stay inside the image with the area fraction in range", () => {
    const random = createSeededRandom(6)
    for (let i = 0; i < 200; i++) {
      const [top, left, h, w] = randomResizedCropBox(100, 80, [0.05, 0.4], random)
      expect(top).toBeGreaterThanOrEqual(0)
      expect(left).toBeGreaterThanOrEqual(0)
      expect(top + h).toBeLessThanOrEqual(100)
      expect(left + w).toBeLessThanOrEqual(80)
      expect((h * w) / 8000).toBeGreaterThan(0.04)
      expect((h * w) / 8000).toBeLessThan(0.42)
      expect(w / h).toBeGreaterThan(0.7)
      expect(w / h).toBeLessThan(1.4)
    }
  })
})
