import type { Subset } from '../../shared/types'
import { createSeededRandom } from '../engine/seededRandom'

export interface SplitRatios {
  train: number
  val: number
  test: number
}

/** The paper's random split (section 3.3): 70 % train, 10 % validation, 20 % test. */
export const PAPER_SPLIT: SplitRatios = { train: 0.7, val: 0.1, test: 0.2 }

/**
 * A seeded train/val/test split by source image: every tile inherits its image's subset, so the tiles of
 * one slide never straddle subsets. Counts are rounded so they sum to the number of images
 * (train = round(0.7 n), val = round(0.1 n), test = the rest). The same ids and seed always give the
 * same split, whatever order the ids come in.
 */
export function randomSplit(
  imageIds: readonly number[],
  seed: number,
  ratios: SplitRatios = PAPER_SPLIT,
): Map<number, Subset> {
  const { train, val, test } = ratios
  if ([train, val, test].some((r) => !(r >= 0)) || Math.abs(train + val + test - 1) > 1e-9) {
    throw new Error(`Split ratios must be non-negative and sum to 1, got ${train}/${val}/${test}`)
  }
  const ids = [...new Set(imageIds)].sort((a, b) => a - b)
  if (ids.length !== imageIds.length) throw new Error('randomSplit was given the same image id twice')
  const order = createSeededRandom(seed).shuffle(ids)
  const nTrain = Math.round(train * ids.length)
  const nVal = Math.min(ids.length - nTrain, Math.round(val * ids.length))
  const out = new Map<number, Subset>()
  order.forEach((id, i) => out.set(id, i < nTrain ? 'train' : i < nTrain + nVal ? 'val' : 'test'))
  return out
}
