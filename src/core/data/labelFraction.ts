import { seededRandom, seededShuffle } from './seededRandom'

/** The label fractions the paper reports (segmentation: all five; classification: 10 and 100). */
export const PAPER_LABEL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 1] as const

export interface LabelledTrainImage {
  id: number
  /** Class ids of the image (segmentation: the classes present in its mask, or [] for "has a mask"). */
  labels: readonly number[]
}

/** FNV-1a over a string: derives one independent seed per stratum from the user's seed. */
function strataSeed(seed: number, key: string): number {
  let h = 0x811c9dc5
  for (const ch of `${seed}|${key}`) {
    h ^= ch.charCodeAt(0)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * The images whose labels are kept at `fraction` (0 < fraction ≤ 1); the other training images count as
 * unlabelled. As in the paper, a kept image keeps all its labels ("x % of the image-label pairs").
 *
 * - Stratified: images are grouped by their label set (the class in a multi-class project), and each
 *   group keeps round(fraction · size) images, at least one, so rare classes are never dropped.
 * - Nested: each group is ordered by one seeded permutation that does not depend on the fraction, and a
 *   fraction takes a prefix of it; the quota only grows with the fraction, so for one seed the 10 % set
 *   lies inside the 30 % set, and so on up to 100 %. Curves across fractions then compare like with like.
 * - Reproducible: same images and seed, same selection, whatever order the images are given in.
 */
export function labelFractionSelection(
  trainImages: readonly LabelledTrainImage[],
  fraction: number,
  seed: number,
): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`A label fraction must be in (0, 1], got ${fraction}`)
  const strata = new Map<string, number[]>()
  const seen = new Set<number>()
  for (const img of trainImages) {
    if (seen.has(img.id)) throw new Error(`labelFractionSelection was given image ${img.id} twice`)
    seen.add(img.id)
    const key = [...new Set(img.labels)].sort((a, b) => a - b).join(',')
    const list = strata.get(key) ?? []
    list.push(img.id)
    strata.set(key, list)
  }
  const out: number[] = []
  for (const [key, ids] of strata) {
    ids.sort((a, b) => a - b)
    const order = seededShuffle(ids, seededRandom(strataSeed(seed, key)))
    const quota = Math.min(ids.length, Math.max(1, Math.round(fraction * ids.length)))
    out.push(...order.slice(0, quota))
  }
  return out.sort((a, b) => a - b)
}

/**
 * "Exactly the images the user has labelled": the training images that carry labels (classification)
 * or a mask (segmentation).
 */
export function userLabelledSelection(
  trainImages: readonly { id: number; labelled: boolean; hasMask: boolean }[],
  task: 'classification' | 'segmentation',
): number[] {
  return trainImages
    .filter((i) => (task === 'classification' ? i.labelled : i.hasMask))
    .map((i) => i.id)
    .sort((a, b) => a - b)
}
