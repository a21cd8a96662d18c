import type { ImageSummary, Subset } from '../../../shared/types'

export type StateFilter = 'all' | 'unlabelled' | 'labelled' | 'training' | 'mask' | 'no-mask'

export interface ImageFilter {
  state: StateFilter
  /** A class id, 'all', or 'none' for images without any label. */
  classId: number | 'all' | 'none'
  /** A subset of the active split, 'all', or 'none' for images outside any split. */
  subset: Subset | 'all' | 'none'
  /** Case-insensitive part of the file name. */
  text: string
}

export const NO_FILTER: ImageFilter = { state: 'all', classId: 'all', subset: 'all', text: '' }

function matchesState(img: ImageSummary, state: StateFilter): boolean {
  switch (state) {
    case 'all':
      return true
    case 'unlabelled':
      return !img.labelled
    case 'labelled':
      return img.labelled
    case 'training':
      return img.inTrainingSet
    case 'mask':
      return img.hasMask
    case 'no-mask':
      return !img.hasMask
  }
}

export function filterImages(images: ImageSummary[], f: ImageFilter): ImageSummary[] {
  const text = f.text.trim().toLowerCase()
  return images.filter(
    (img) =>
      matchesState(img, f.state) &&
      (f.classId === 'all' ||
        (f.classId === 'none' ? img.labels.length === 0 : img.labels.includes(f.classId))) &&
      (f.subset === 'all' || (f.subset === 'none' ? img.subset === null : img.subset === f.subset)) &&
      (!text || img.name.toLowerCase().includes(text)),
  )
}

export function isFiltered(f: ImageFilter): boolean {
  return f.state !== 'all' || f.classId !== 'all' || f.subset !== 'all' || f.text.trim() !== ''
}
