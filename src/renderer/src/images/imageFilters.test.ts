import { describe, expect, it } from 'vitest'
import type { ImageSummary } from '../../../shared/types'
import { filterImages, isFiltered, NO_FILTER } from './imageFilters'

function image(id: number, patch: Partial<ImageSummary>): ImageSummary {
  return {
    id,
    name: `img-${id}.png`,
    blob: 'b',
    width: 10,
    height: 10,
    channels: 3,
    format: 'png',
    officialSplit: null,
    labels: [],
    labelled: false,
    hasMask: false,
    maskReviewed: false,
    maskBlob: null,
    tileCount: 0,
    subset: null,
    inTrainingSet: false,
    ...patch,
  }
}

const images = [
  image(1, { labels: [1], labelled: true, hasMask: true, subset: 'train', inTrainingSet: true }),
  image(2, { labels: [1, 2], labelled: true, subset: 'val' }),
  image(3, { subset: 'test', hasMask: true }),
  image(4, {}),
]
const ids = (xs: ImageSummary[]) => xs.map((x) => x.id)

describe('filterImages', () => {
  it('passes everything without a filter', () => {
    expect(ids(filterImages(images, NO_FILTER))).toEqual([1, 2, 3, 4])
    expect(isFiltered(NO_FILTER)).toBe(false)
  })

  it('filters by annotation state', () => {
    expect(ids(filterImages(images, { ...NO_FILTER, state: 'labelled' }))).toEqual([1, 2])
    expect(ids(filterImages(images, { ...NO_FILTER, state: 'unlabelled' }))).toEqual([3, 4])
    expect(ids(filterImages(images, { ...NO_FILTER, state: 'training' }))).toEqual([1])
    expect(ids(filterImages(images, { ...NO_FILTER, state: 'mask' }))).toEqual([1, 3])
    expect(ids(filterImages(images, { ...NO_FILTER, state: 'no-mask' }))).toEqual([2, 4])
  })

  it('filters by class, subset and name, combined', () => {
    expect(ids(filterImages(images, { ...NO_FILTER, classId: 2 }))).toEqual([2])
    expect(ids(filterImages(images, { ...NO_FILTER, classId: 'none' }))).toEqual([3, 4])
    expect(ids(filterImages(images, { ...NO_FILTER, subset: 'none' }))).toEqual([4])
    expect(ids(filterImages(images, { ...NO_FILTER, subset: 'val', classId: 1 }))).toEqual([2])
    expect(ids(filterImages(images, { ...NO_FILTER, text: 'IMG-3' }))).toEqual([3])
    expect(isFiltered({ ...NO_FILTER, text: ' x ' })).toBe(true)
  })
})
